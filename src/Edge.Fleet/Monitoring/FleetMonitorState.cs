namespace Edge.Fleet.Monitoring;

/// <summary>
/// The live picture behind the dashboard: per device, the latest figures, a short p95 trend, error totals and
/// malformed counts. Fed by status and telemetry messages (any thread); records are de-duplicated by <c>seq</c>
/// because delivery is at-least-once. <see cref="Snapshot"/> copies it for rendering.
/// </summary>
internal sealed class FleetMonitorState
{
    /// <summary>Samples kept per device for the trend sparkline.</summary>
    public const int TrendLength = 12;

    /// <summary>Malformed messages kept for display.</summary>
    public const int RecentMalformedLength = 5;

    private readonly object _gate = new();
    private readonly Dictionary<string, LiveDevice> _devices = new(StringComparer.Ordinal);
    private readonly Queue<MalformedTelemetry> _recentMalformed = new();
    private readonly Func<string, bool> _includes;
    private long _messages;
    private long _records;
    private long _duplicates;
    private long _malformed;

    /// <param name="includes">Which devices to show (a group's members); null for all.</param>
    public FleetMonitorState(Func<string, bool>? includes = null) => _includes = includes ?? (_ => true);

    public void ApplyStatus(StatusPayload status)
    {
        if (!_includes(status.Device))
        {
            return;
        }

        lock (_gate)
        {
            var device = DeviceFor(status.Device);
            device.Online = status.State == "online";
            if (status.Facts?.Models is [var first, ..])
            {
                device.StatusModel = $"{first.Name}@{first.Version}";
            }
        }
    }

    /// <summary>Adds a parsed message; returns the records that were new (not duplicates), for storage.</summary>
    public IReadOnlyList<TelemetryRecord> Ingest(string topic, TelemetryParseResult result, DateTimeOffset received)
    {
        if (result.Device is { } id && !_includes(id))
        {
            return [];
        }

        var fresh = new List<TelemetryRecord>(result.Records.Count);
        lock (_gate)
        {
            _messages++;
            LiveDevice? device = result.Device is null ? null : DeviceFor(result.Device);
            foreach (var error in result.Errors)
            {
                _malformed++;
                if (device is not null)
                {
                    device.Malformed++;
                }

                _recentMalformed.Enqueue(new MalformedTelemetry(result.Device, topic, received, error));
                while (_recentMalformed.Count > RecentMalformedLength)
                {
                    _recentMalformed.Dequeue();
                }
            }

            foreach (var record in result.Records)
            {
                if (device!.Seen.Contains(record.Seq))
                {
                    _duplicates++;
                    continue;
                }

                device.Remember(record.Seq);
                _records++;
                fresh.Add(record);
                if (device.LastTelemetry is null || record.Timestamp >= device.LastTelemetry)
                {
                    device.Apply(record);
                }
            }
        }

        return fresh;
    }

    public MonitorSnapshot Snapshot(string fleet, string? group, DateTimeOffset now, string broker)
    {
        lock (_gate)
        {
            return new MonitorSnapshot
            {
                Fleet = fleet,
                Group = group,
                Now = now,
                Broker = broker,
                Devices = _devices.Values.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => d.ToSnapshot()).ToArray(),
                MessagesIngested = _messages,
                RecordsIngested = _records,
                Duplicates = _duplicates,
                MalformedMessages = _malformed,
                RecentMalformed = [.. _recentMalformed],
            };
        }
    }

    private LiveDevice DeviceFor(string id)
    {
        if (!_devices.TryGetValue(id, out var device))
        {
            device = new LiveDevice(id);
            _devices.Add(id, device);
        }

        return device;
    }

    private sealed class LiveDevice(string id)
    {
        private const int SeenCapacity = 4096;
        private readonly Queue<long> _seenOrder = new();
        private readonly Queue<double> _trend = new();

        public string Id { get; } = id;

        public HashSet<long> Seen { get; } = [];

        public bool Online { get; set; } = true;

        public string? StatusModel { get; set; }

        public string? SampleModel { get; private set; }

        public double? P50 { get; private set; }

        public double? P95 { get; private set; }

        public long Calls { get; private set; }

        public long Errors { get; private set; }

        public long ErrorsTotal { get; private set; }

        public double? Cpu { get; private set; }

        public double? Memory { get; private set; }

        public double? Temperature { get; private set; }

        public DateTimeOffset? LastTelemetry { get; private set; }

        public long Malformed { get; set; }

        public DriftFigures? Drift { get; private set; }

        public void Remember(long seq)
        {
            // Bounded: duplicates arrive right after a reconnect, so the latest few thousand seqs are enough.
            Seen.Add(seq);
            _seenOrder.Enqueue(seq);
            if (_seenOrder.Count > SeenCapacity)
            {
                Seen.Remove(_seenOrder.Dequeue());
            }
        }

        public void Apply(TelemetryRecord record)
        {
            var sample = record.Sample;
            LastTelemetry = record.Timestamp;
            var busiest = sample.Inference.OrderByDescending(i => i.Calls).FirstOrDefault();
            SampleModel = busiest is null ? null : $"{busiest.Model}@{busiest.Version}";
            P50 = busiest?.P50Ms;
            P95 = busiest?.P95Ms;
            Calls = sample.Inference.Sum(i => i.Calls);
            Errors = sample.Inference.Sum(i => i.Errors);
            ErrorsTotal += Errors;
            Cpu = sample.System.CpuPercent;
            Memory = sample.System is { MemoryTotalBytes: > 0 and var total, MemoryAvailableBytes: { } available }
                ? 100.0 * (total - available) / total
                : null;
            Temperature = sample.System.TemperatureCelsius;
            Drift = sample.Drift;
            if (P95 is { } p95)
            {
                _trend.Enqueue(p95);
                while (_trend.Count > TrendLength)
                {
                    _trend.Dequeue();
                }
            }
        }

        public DeviceSnapshot ToSnapshot() => new()
        {
            Device = Id,
            Online = Online,
            Model = SampleModel ?? StatusModel,
            P50Ms = P50,
            P95Ms = P95,
            P95Trend = [.. _trend],
            Calls = Calls,
            Errors = Errors,
            ErrorsTotal = ErrorsTotal,
            CpuPercent = Cpu,
            MemoryPercent = Memory,
            TemperatureCelsius = Temperature,
            LastTelemetry = LastTelemetry,
            Malformed = Malformed,
            Drift = Drift,
        };
    }
}
