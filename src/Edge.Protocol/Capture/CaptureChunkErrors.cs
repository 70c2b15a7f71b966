namespace Edge.Protocol.Capture;

/// <summary>
/// Values of <see cref="Ota.OtaChunkHeader.Error"/> in capture chunk frames, beside the OTA ones
/// (<see cref="Ota.OtaChunkErrors.UnknownJob"/>: no such snapshot, <see cref="Ota.OtaChunkErrors.OutOfRange"/>,
/// <see cref="Ota.OtaChunkErrors.BadRequest"/>).
/// </summary>
public static class CaptureChunkErrors
{
    /// <summary>The device's daily data budget (<c>Ota:DailyDataBudgetBytes</c>) has no room for the chunk today; ask again after UTC midnight.</summary>
    public const string OverBudget = "over-budget";
}
