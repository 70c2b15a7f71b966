using Edge.Packaging;
using Edge.Protocol;
using Edge.Sdk.Processing.Postprocessing;

namespace Edge.Agent.Drift;

/// <summary>
/// The statistics of the most recent <see cref="Capacity"/> sampled calls of one served model, and their distances
/// to its package's reference (<see cref="DriftStatistics"/>, the math the optimizer used to compute the reference).
/// Each slot of the ring holds one call's per-channel sums and sums of squares and its confidence bin, so the oldest
/// call leaves the window exactly. Memory: 16 × window × channels bytes. Fed by the worker, read by telemetry; a lock
/// guards it (neither is the app's thread).
/// </summary>
internal sealed class DriftWindow
{
    private readonly Lock _gate = new();
    private readonly PackageDriftReference _reference;
    private readonly PackageDriftInput? _input;
    private readonly int _channels;
    private readonly double[] _sums;
    private readonly double[] _squares;
    private readonly long[] _counts;
    private readonly int[] _bins;
    private OutputConfidence? _confidence;
    private long[] _shape = [];
    private int _next;
    private int _filled;
    private long _added;

    /// <param name="reference">The served package's reference.</param>
    /// <param name="model">The served package's name.</param>
    /// <param name="version">The served package's version.</param>
    /// <param name="inputName">The served model's first input, the one the app's calls carry.</param>
    /// <param name="capacity">The window, in sampled calls.</param>
    public DriftWindow(PackageDriftReference reference, string model, string version, string inputName, int capacity)
    {
        _reference = reference;
        Model = model;
        Version = version;
        Capacity = capacity;
        _input = reference.Inputs.FirstOrDefault(i => i.Name == inputName);
        _channels = _input?.Means.Count ?? 0;
        _sums = new double[checked(capacity * _channels)];
        _squares = new double[_sums.Length];
        _counts = new long[capacity];
        _bins = new int[capacity];
    }

    public string Model { get; }

    public string Version { get; }

    public int Capacity { get; }

    /// <summary>Sampled calls added so far (not only those still in the window).</summary>
    public long Added => Interlocked.Read(ref _added);

    /// <summary>Adds one sampled call, replacing the oldest when the window is full.</summary>
    /// <exception cref="ArgumentException">A detector's output does not fit its anchor grid.</exception>
    public void Add(DriftSample sample)
    {
        var sums = new double[_channels];
        var squares = new double[_channels];
        var count = 0L;
        if (_input is not null && sample.Input is { } input && Shape(sample.InputDimensions, input.Length) is { } shape && DriftStatistics.ChannelCount(shape) == _channels)
        {
            count = DriftStatistics.AddChannelMoments(input, shape, sums, squares);
        }

        _confidence ??= OutputConfidence.For(sample.InputDimensions, sample.OutputDimensions);
        var bin = _reference.Confidence is not null && _confidence.HasConfidence && sample.Output is { } output
            ? DriftStatistics.ConfidenceBin(_confidence.Read(output))
            : -1;
        lock (_gate)
        {
            sums.CopyTo(_sums, _next * _channels);
            squares.CopyTo(_squares, _next * _channels);
            _counts[_next] = count;
            _bins[_next] = bin;
            _next = (_next + 1) % Capacity;
            _filled = Math.Min(_filled + 1, Capacity);
        }

        Interlocked.Increment(ref _added);
    }

    /// <summary>The window's figures now, with the tap's counts.</summary>
    public DriftFigures Figures(long sampled, long dropped)
    {
        lock (_gate)
        {
            var (distance, channel) = InputDistance();
            var psi = ConfidencePsi();
            return new DriftFigures
            {
                Model = Model,
                ReferenceVersion = Version,
                Window = Capacity,
                Samples = _filled,
                InputDistance = distance,
                Input = distance is null ? null : _input!.Name,
                Channel = distance is null ? null : channel,
                ConfidencePsi = psi,
                Sampled = sampled,
                Dropped = dropped,
            };
        }
    }

    private (double? Distance, int Channel) InputDistance()
    {
        var count = 0L;
        for (var i = 0; i < _filled; i++)
        {
            count += _counts[i];
        }

        if (_input is null || count == 0)
        {
            return (null, 0);
        }

        double? worst = null;
        var worstChannel = 0;
        for (var c = 0; c < _channels; c++)
        {
            double sum = 0, squares = 0;
            for (var i = 0; i < _filled; i++)
            {
                sum += _sums[(i * _channels) + c];
                squares += _squares[(i * _channels) + c];
            }

            var distance = DriftStatistics.GaussianKl(sum / count, DriftStatistics.Variance(sum, squares, count), _input.Means[c], _input.Variances[c]);
            if (worst is null || distance > worst)
            {
                (worst, worstChannel) = (distance, c);
            }
        }

        return (worst, worstChannel);
    }

    private double? ConfidencePsi()
    {
        if (_reference.Confidence is not { } reference)
        {
            return null;
        }

        var histogram = new double[DriftStatistics.ConfidenceBins];
        var counted = 0;
        for (var i = 0; i < _filled; i++)
        {
            if (_bins[i] >= 0)
            {
                histogram[_bins[i]]++;
                counted++;
            }
        }

        if (counted == 0)
        {
            return null;
        }

        for (var k = 0; k < histogram.Length; k++)
        {
            histogram[k] /= counted;
        }

        return DriftStatistics.PopulationStabilityIndex(histogram, [.. reference]);
    }

    /// <summary>The call's shape: the declared dimensions with one dynamic dimension (batch) inferred from the length; null when that is impossible.</summary>
    private long[]? Shape(IReadOnlyList<long> dimensions, int length)
    {
        if (_shape.Length != dimensions.Count)
        {
            _shape = new long[dimensions.Count];
        }

        var known = 1L;
        var dynamic = -1;
        for (var i = 0; i < dimensions.Count; i++)
        {
            if (dimensions[i] >= 0)
            {
                known *= dimensions[i];
                _shape[i] = dimensions[i];
            }
            else if (dynamic >= 0)
            {
                return null;
            }
            else
            {
                dynamic = i;
            }
        }

        if (dynamic >= 0)
        {
            if (known == 0 || length % known != 0)
            {
                return null;
            }

            _shape[dynamic] = length / known;
        }

        return dimensions.Count > 0 && _shape.Aggregate(1L, (a, b) => a * b) == length ? _shape : null;
    }
}
