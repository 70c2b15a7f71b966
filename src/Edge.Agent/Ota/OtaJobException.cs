namespace Edge.Agent.Ota;

/// <summary>
/// Ends a job with a reason: <see cref="OtaJobStates.Failed"/> when it stopped before anything was switched, or
/// <see cref="OtaJobStates.RolledBack"/> when the new model was refused by the health checks and the old one serves.
/// </summary>
internal sealed class OtaJobException : Exception
{
    public OtaJobException(string outcome, string reason, IReadOnlyDictionary<string, double>? figures = null, Exception? innerException = null)
        : base(reason, innerException)
    {
        Outcome = outcome;
        Figures = figures;
    }

    public OtaJobException()
        : this(OtaJobStates.Failed, "unknown")
    {
    }

    public OtaJobException(string message)
        : this(OtaJobStates.Failed, message)
    {
    }

    public OtaJobException(string message, Exception innerException)
        : this(OtaJobStates.Failed, message, null, innerException)
    {
    }

    public string Outcome { get; }

    public IReadOnlyDictionary<string, double>? Figures { get; }

    public static OtaJobException Fail(string reason, Exception? inner = null) => new(OtaJobStates.Failed, reason, null, inner);
}
