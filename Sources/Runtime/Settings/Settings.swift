import Foundation
import Suppliers

/// The whole configuration of an `otppool` process, read once at start-up (`config/otppool.yaml` documents
/// every key).
///
/// Sources, highest priority first: flags and `--set section.key=value`; environment variables
/// `OTPPOOL_<SECTION>_<KEY>` (secrets also as `…_FILE`); the YAML file of `--config` (or `OTPPOOL_CONFIG`);
/// the documented defaults. Invalid values are all reported together (``SettingsError``), never replaced by
/// a default in silence.
public struct Settings: Sendable {
    public var kafka: KafkaSettings
    public var worker: WorkerSettings
    public var escalation: EscalationSettings
    public var admin: AdminSettings
    public var logging: LoggingSettings
    /// `catalogue`: services, countries, suppliers and pools (YAML); default: the built-in catalogue.
    public var cataloguePath: String?
    let reader: SettingsReader

    /// Reads and validates everything but the database (see ``postgres()``).
    ///
    /// - Throws: ``SettingsError`` listing every problem.
    public init(reader: SettingsReader) throws(SettingsError) {
        self.reader = reader
        kafka = KafkaSettings(reader: reader)
        worker = WorkerSettings(reader: reader)
        escalation = EscalationSettings(reader: reader)
        admin = AdminSettings(reader: reader)
        logging = LoggingSettings(reader: reader)
        cataloguePath = reader.string("catalogue")
        try reader.check()
    }

    /// `postgres.*`, for the processes that use the database.
    ///
    /// - Throws: ``SettingsError`` when the URL is missing or a value is invalid.
    public func postgres() throws(SettingsError) -> PostgresSettings {
        let settings = PostgresSettings(reader: reader)
        try reader.check()
        return settings
    }

    /// The catalogue of `catalogue`, or the built-in one; supplier keys come from
    /// `OTPPOOL_SUPPLIER_<NAME>_API_KEY` (or `…_API_KEY_FILE`).
    ///
    /// - Throws: ``SettingsError`` naming the problem.
    public func catalogue() throws(SettingsError) -> Catalogue {
        do {
            if let cataloguePath { return try Catalogue.load(path: cataloguePath, environment: reader.environment) }
            return try Catalogue.makeDefault(environment: reader.environment)
        } catch {
            throw SettingsError(problems: ["catalogue: \(error)"])
        }
    }
}
