using Edge.Protocol.Ota;

namespace Edge.Agent.Ota.Shadow;

/// <summary>
/// The shadow worker's running counts on top of what a previous run journaled: samples, agreements, candidate
/// failures, the candidate's run times and the worst disagreements (lowest closeness first, earliest on ties).
/// Thread-safe: the worker records, the job reads.
/// </summary>
internal sealed class ShadowTally
{
    private readonly Lock _lock = new();
    private readonly ShadowProgress _base;
    private readonly List<double> _candidateMs = [];
    private readonly List<OtaShadowExample> _worst;
    private long _samples;
    private long _agreements;
    private long _errors;

    public ShadowTally(ShadowProgress resumed)
    {
        _base = resumed;
        _worst = [.. resumed.Worst];
    }

    /// <summary>Samples compared, the journaled ones included.</summary>
    public long Samples
    {
        get
        {
            lock (_lock)
            {
                return _base.Samples + _samples;
            }
        }
    }

    /// <summary>Records one compared sample and the candidate's run time (null when it threw).</summary>
    public void Record(ShadowVerdict verdict, double? candidateMs, bool candidateThrew)
    {
        lock (_lock)
        {
            var index = _base.Samples + _samples;
            _samples++;
            if (verdict.Agrees)
            {
                _agreements++;
            }
            else
            {
                AddWorst(new OtaShadowExample { Index = index, Score = Math.Round(verdict.Score, 6), Detail = verdict.Detail ?? "disagreed" });
            }

            if (candidateThrew)
            {
                _errors++;
            }

            if (candidateMs is { } ms)
            {
                _candidateMs.Add(ms);
            }
        }
    }

    /// <summary>Everything so far, with the live side's counts since this run started added to the journaled ones.</summary>
    public ShadowProgress Snapshot(long liveCalls, IReadOnlyList<double> servingMs, long sampled, long dropped, double elapsedSeconds)
    {
        lock (_lock)
        {
            return _base with
            {
                Samples = _base.Samples + _samples,
                Agreements = _base.Agreements + _agreements,
                CandidateErrors = _base.CandidateErrors + _errors,
                LiveCalls = _base.LiveCalls + liveCalls,
                Sampled = _base.Sampled + sampled,
                Dropped = _base.Dropped + dropped,
                ElapsedSeconds = _base.ElapsedSeconds + elapsedSeconds,
                CandidateMs = Recent(_base.CandidateMs, _candidateMs),
                ServingMs = Recent(_base.ServingMs, servingMs),
                Worst = [.. _worst],
            };
        }
    }

    private void AddWorst(OtaShadowExample example)
    {
        _worst.Add(example);
        _worst.Sort((a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : a.Index.CompareTo(b.Index));
        if (_worst.Count > OtaShadowFigures.MaxWorstExamples)
        {
            _worst.RemoveAt(_worst.Count - 1);
        }
    }

    /// <summary>The most recent <see cref="ShadowProgress.MaxKeptDurations"/> of two runs of durations, in order.</summary>
    public static double[] Recent(IReadOnlyList<double> before, IReadOnlyList<double> now)
    {
        var all = before.Concat(now);
        var skip = before.Count + now.Count - ShadowProgress.MaxKeptDurations;
        return [.. skip > 0 ? all.Skip(skip) : all];
    }
}
