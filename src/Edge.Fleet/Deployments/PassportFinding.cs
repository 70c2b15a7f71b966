namespace Edge.Fleet.Deployments;

/// <summary>Why a target device is not covered by a package's passport (<see cref="PassportCheck"/>).</summary>
/// <param name="Device">The device id.</param>
/// <param name="Warning">The warning, one sentence naming the device, its hardware class and the package.</param>
/// <param name="Reason">The short reason a <c>--require-passport</c> refusal lists beside the device.</param>
internal sealed record PassportFinding(string Device, string Warning, string Reason);
