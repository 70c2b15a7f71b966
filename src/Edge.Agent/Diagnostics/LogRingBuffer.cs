using Edge.Agent.Protocol;

namespace Edge.Agent.Diagnostics;

/// <summary>The most recent log records, kept in memory for <c>collect-diagnostics</c>; the oldest is overwritten.</summary>
internal sealed class LogRingBuffer
{
    private readonly LogRecordPayload?[] _records;
    private readonly object _gate = new();
    private int _next;
    private int _count;

    public LogRingBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _records = new LogRecordPayload?[capacity];
    }

    public int Capacity => _records.Length;

    public void Add(LogRecordPayload record)
    {
        lock (_gate)
        {
            _records[_next] = record;
            _next = (_next + 1) % _records.Length;
            _count = Math.Min(_count + 1, _records.Length);
        }
    }

    /// <summary>Up to <paramref name="maximum"/> most recent records, oldest first.</summary>
    public IReadOnlyList<LogRecordPayload> Recent(int maximum)
    {
        lock (_gate)
        {
            var take = Math.Min(Math.Max(maximum, 0), _count);
            var result = new LogRecordPayload[take];
            for (var i = 0; i < take; i++)
            {
                var index = (_next - take + i + _records.Length) % _records.Length;
                result[i] = _records[index]!;
            }

            return result;
        }
    }
}
