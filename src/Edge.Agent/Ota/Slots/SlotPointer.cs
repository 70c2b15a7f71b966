namespace Edge.Agent.Ota.Slots;

/// <summary>
/// The content of <c>active.json</c>, replaced only by an atomic rename: which slot serves, which one holds the
/// previous model, and whether the active one is still on trial (switched but not yet committed by a job).
/// </summary>
internal sealed record SlotPointer
{
    public required SlotReference Active { get; init; }

    public SlotReference? Previous { get; init; }

    /// <summary>The job whose model is active but not committed; null once committed.</summary>
    public string? TrialJobId { get; init; }
}
