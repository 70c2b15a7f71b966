using System.Device.Gpio;

namespace Edge.Samples.Gpio;

/// <summary>One value written to an output pin through <see cref="SimulatedGpioDriver"/>.</summary>
/// <param name="Pin">The driver's pin number (a line offset on a gpiochip).</param>
/// <param name="Value">The value written.</param>
public readonly record struct PinWrite(int Pin, PinValue Value);
