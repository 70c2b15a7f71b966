namespace Edge.Sdk.Devices;

/// <summary>One reading of the device's health. Every value is null when the system does not expose it.</summary>
/// <param name="CpuTemperatureCelsius">CPU temperature in °C from the CPU thermal zone (or the first zone when none is named CPU).</param>
/// <param name="MemoryTotalBytes">Physical memory in bytes (<c>MemTotal</c>).</param>
/// <param name="MemoryAvailableBytes">Memory available for new work in bytes (<c>MemAvailable</c>).</param>
/// <param name="LoadAverage1Minute">Run-queue load average over 1 minute (0 or more; compare with the core count).</param>
/// <param name="LoadAverage5Minutes">Load average over 5 minutes.</param>
/// <param name="LoadAverage15Minutes">Load average over 15 minutes.</param>
/// <param name="Throttling">Raspberry Pi throttling flags; null on other boards.</param>
public sealed record DeviceHealth(
    double? CpuTemperatureCelsius,
    long? MemoryTotalBytes,
    long? MemoryAvailableBytes,
    double? LoadAverage1Minute,
    double? LoadAverage5Minutes,
    double? LoadAverage15Minutes,
    ThrottlingState? Throttling);
