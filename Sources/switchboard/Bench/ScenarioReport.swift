/// What one scenario measured: its line of figures and the rows it adds to the summary table.
struct ScenarioReport: Sendable {
    /// One row of the summary table: a measure, the figure this run got, and the target.
    struct Measure: Sendable {
        let measure: String
        let figure: String
        let target: String
    }

    let name: String
    /// The scenario's figures, on one line.
    var line: String
    var measures: [Measure] = []
    /// Events published and deliveries received, for CPU per 1,000.
    var events = 0
    var deliveries = 0
}
