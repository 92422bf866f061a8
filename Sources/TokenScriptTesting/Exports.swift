// One import gives a test the whole in-memory kit: the cluster's in-memory election, placement, log, instance
// store and SLO monitor (TokenScriptCluster), the engine's `ManualClock` and `InMemoryJournalStore`, and the
// scripted effect transport the simulation runs on (TokenScriptSimulation). They live in those modules because
// production code uses them too (scenarios and dry runs are simulations); this module only gathers them.
@_exported import TokenScriptCluster
@_exported import TokenScriptEngine
@_exported import TokenScriptSimulation
