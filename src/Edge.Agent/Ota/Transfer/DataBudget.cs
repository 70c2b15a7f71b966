using System.Text.Json;
using Edge.Agent.Ota.Slots;

namespace Edge.Agent.Ota.Transfer;

/// <summary>
/// The daily data budget: bytes downloaded per UTC day, kept on disk so a restart does not reset it. A transfer asks
/// before each request; when the day's budget is spent it waits until the next UTC midnight.
/// </summary>
internal sealed class DataBudget
{
    private readonly long _limit;
    private readonly TimeProvider _time;
    private readonly string _path;
    private readonly Lock _lock = new();
    private DataBudgetState _state;

    public DataBudget(long limitBytes, string dataDirectory, TimeProvider time)
    {
        _limit = limitBytes;
        _time = time;
        _path = Path.Combine(Path.GetFullPath(dataDirectory), "budget.json");
        _state = new DataBudgetState(Today, 0);
        if (File.Exists(_path))
        {
            try
            {
                _state = JsonSerializer.Deserialize(File.ReadAllBytes(_path), OtaStorageJsonContext.Default.DataBudgetState) ?? _state;
                if (_state.UsedBytes < 0)
                {
                    _state = _state with { UsedBytes = 0 }; // Damaged: no count can be negative.
                }
            }
            catch (JsonException)
            {
                // A damaged budget file only loses today's count; the transfer itself is unaffected.
            }
        }
    }

    public long LimitBytes => _limit;

    public long UsedToday
    {
        get
        {
            lock (_lock)
            {
                Roll();
                return _state.UsedBytes;
            }
        }
    }

    private DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    /// <summary>Books <paramref name="bytes"/> if today's budget allows them; otherwise returns the time until it resets.</summary>
    public bool TryConsume(long bytes, out TimeSpan untilReset)
    {
        lock (_lock)
        {
            Roll();
            untilReset = TimeSpan.Zero;
            if (_limit <= 0)
            {
                // Counted for the record only; saturates rather than wrapping (the count comes from a file).
                _state = _state with { UsedBytes = bytes > long.MaxValue - _state.UsedBytes ? long.MaxValue : _state.UsedBytes + bytes };
                return true;
            }

            // Compared without a sum: a count read from budget.json near long.MaxValue must not wrap into "room left".
            if (_state.UsedBytes > _limit || bytes > _limit - _state.UsedBytes)
            {
                var now = _time.GetUtcNow();
                untilReset = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero) - now;
                return false;
            }

            _state = _state with { UsedBytes = _state.UsedBytes + bytes };
            return true;
        }
    }

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        DataBudgetState state;
        lock (_lock)
        {
            state = _state;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await DurableFiles.WriteAtomicAsync(_path, JsonSerializer.SerializeToUtf8Bytes(state, OtaStorageJsonContext.Default.DataBudgetState), cancellationToken);
    }

    private void Roll()
    {
        if (_state.Day != Today)
        {
            _state = new DataBudgetState(Today, 0);
        }
    }
}
