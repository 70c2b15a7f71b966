using System.Device.Gpio;

namespace Edge.Samples.Gpio;

/// <summary>
/// A <see cref="GpioDriver"/> without hardware, for the samples' <c>--simulate</c> mode and their tests. Apps talk
/// to it through the same <see cref="GpioController"/> calls as to the libgpiod driver on a device; it records every
/// write, and <see cref="Press"/> drives an input the way a push button wired to ground (with the pull-up on) does.
/// Thread-safe.
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly object _lock = new(); // an object, not a Lock: waits for edges need Monitor.Wait
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _values = [];
    private readonly Dictionary<int, Queue<PinEventTypes>> _events = [];
    private readonly Dictionary<int, List<(PinEventTypes Types, PinChangeEventHandler Handler)>> _callbacks = [];
    private readonly List<PinWrite> _writes = [];
    private readonly int _pinCount;

    /// <summary>Creates a driver with pins 0 to <paramref name="pinCount"/> - 1 (default 256: a Jetson gpiochip has up to 164 lines).</summary>
    public SimulatedGpioDriver(int pinCount = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pinCount, 1);
        _pinCount = pinCount;
    }

    /// <summary>
    /// When true, a wait for a falling edge returns at once as if the button had just been pressed, so a simulated
    /// run captures one frame after another. When false (default), only <see cref="Press"/> produces edges.
    /// </summary>
    public bool PressButtonWhenWaitedFor { get; init; }

    /// <summary>Every write so far, in order.</summary>
    public IReadOnlyList<PinWrite> Writes
    {
        get
        {
            lock (_lock)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Raised after each write, outside the driver's lock.</summary>
    public event EventHandler<PinWrite>? Written;

    /// <inheritdoc />
    protected override int PinCount => _pinCount;

    /// <summary>
    /// Presses and releases a button on input <paramref name="pin"/>: the level goes low (falling edge) and back high
    /// (rising edge). Callbacks run and waits see the edges; a press before anyone waits is kept, as the kernel's
    /// line event queue keeps edges.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pin is not open as an input.</exception>
    public void Press(int pin)
    {
        List<(PinEventTypes Types, PinChangeEventHandler Handler)> handlers;
        lock (_lock)
        {
            if (!_modes.TryGetValue(pin, out var mode) || mode is PinMode.Output)
            {
                throw new InvalidOperationException($"Pin {pin} is not open as an input; open it with PinMode.InputPullUp before pressing its button.");
            }

            if (!_events.TryGetValue(pin, out var queue))
            {
                queue = new Queue<PinEventTypes>();
                _events.Add(pin, queue);
            }

            queue.Enqueue(PinEventTypes.Falling);
            queue.Enqueue(PinEventTypes.Rising);
            _values[pin] = PinValue.High;
            handlers = _callbacks.TryGetValue(pin, out var list) ? [.. list] : [];
            Monitor.PulseAll(_lock);
        }

        foreach (var edge in new[] { PinEventTypes.Falling, PinEventTypes.Rising })
        {
            foreach (var (types, handler) in handlers.Where(h => h.Types.HasFlag(edge)))
            {
                handler(this, new PinValueChangedEventArgs(edge, pin));
            }
        }
    }

    /// <inheritdoc />
    protected override void OpenPin(int pinNumber)
    {
        CheckPin(pinNumber);
        lock (_lock)
        {
            _modes.TryAdd(pinNumber, PinMode.Input);
            _values.TryAdd(pinNumber, PinValue.Low);
        }
    }

    /// <inheritdoc />
    protected override void ClosePin(int pinNumber)
    {
        lock (_lock)
        {
            _modes.Remove(pinNumber);
            _events.Remove(pinNumber);
            _callbacks.Remove(pinNumber);
        }
    }

    /// <inheritdoc />
    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        CheckPin(pinNumber);
        lock (_lock)
        {
            _modes[pinNumber] = mode;
            if (mode == PinMode.InputPullUp)
            {
                _values[pinNumber] = PinValue.High; // an open button on a pulled-up input reads high
            }
        }
    }

    /// <inheritdoc />
    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_lock)
        {
            return _modes.TryGetValue(pinNumber, out var mode) ? mode : throw new InvalidOperationException($"Pin {pinNumber} is not open.");
        }
    }

    /// <inheritdoc />
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    /// <inheritdoc />
    protected override PinValue Read(int pinNumber)
    {
        lock (_lock)
        {
            return _values.TryGetValue(pinNumber, out var value) ? value : throw new InvalidOperationException($"Pin {pinNumber} is not open.");
        }
    }

    /// <inheritdoc />
    protected override void Toggle(int pinNumber) => Write(pinNumber, !Read(pinNumber));

    /// <inheritdoc />
    protected override void Write(int pinNumber, PinValue value)
    {
        var write = new PinWrite(pinNumber, value);
        lock (_lock)
        {
            if (!_modes.TryGetValue(pinNumber, out var mode) || mode != PinMode.Output)
            {
                throw new InvalidOperationException($"Pin {pinNumber} is not open as an output; a write to it would not reach the header.");
            }

            _values[pinNumber] = value;
            _writes.Add(write);
        }

        Written?.Invoke(this, write);
    }

    /// <inheritdoc />
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        if (PressButtonWhenWaitedFor && eventTypes.HasFlag(PinEventTypes.Falling))
        {
            return new WaitForEventResult { EventTypes = PinEventTypes.Falling, TimedOut = false };
        }

        // Wake up periodically to notice cancellation: Monitor waits cannot observe a token.
        lock (_lock)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (_events.TryGetValue(pinNumber, out var queue))
                {
                    while (queue.TryDequeue(out var edge))
                    {
                        if (eventTypes.HasFlag(edge))
                        {
                            return new WaitForEventResult { EventTypes = edge, TimedOut = false };
                        }
                    }
                }

                Monitor.Wait(_lock, TimeSpan.FromMilliseconds(50));
            }
        }

        return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
    }

    /// <inheritdoc />
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            if (!_callbacks.TryGetValue(pinNumber, out var list))
            {
                list = [];
                _callbacks.Add(pinNumber, list);
            }

            list.Add((eventTypes, callback));
        }
    }

    /// <inheritdoc />
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            if (_callbacks.TryGetValue(pinNumber, out var list))
            {
                list.RemoveAll(h => h.Handler == callback);
            }
        }
    }

    private void CheckPin(int pinNumber)
    {
        if (pinNumber < 0 || pinNumber >= _pinCount)
        {
            throw new ArgumentOutOfRangeException(nameof(pinNumber), pinNumber, $"The simulated gpiochip has lines 0 to {_pinCount - 1}.");
        }
    }
}
