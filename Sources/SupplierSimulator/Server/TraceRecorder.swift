import Hummingbird

/// Records each request's `traceparent` header in the simulator's ``TraceLog`` before answering it.
struct TraceRecorder: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    let simulator: SupplierSimulator

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let field = request.headers.first(where: { $0.name.canonicalName == "traceparent" }) {
            simulator.traceLog.withLock { $0.record(field.value) }
        }
        return try await next(request, context)
    }
}
