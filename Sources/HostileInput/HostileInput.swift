/// Malformed and hostile inputs for the activation worker's topics (filled in by the hostile-input work).
public enum HostileInput {}
