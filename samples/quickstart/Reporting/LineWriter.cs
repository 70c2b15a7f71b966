using System.Text;

namespace Edge.Quickstart.Reporting;

/// <summary>A writer that hands each complete line to a callback (to stream a tool's events as they happen) and keeps them all.</summary>
internal sealed class LineWriter(Action<string>? onLine = null) : TextWriter
{
    private readonly StringBuilder _pending = new();
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public string Text => string.Join('\n', Lines);

    public override void Write(char value)
    {
        string? line = null;
        lock (_lock)
        {
            if (value == '\n')
            {
                line = _pending.ToString().TrimEnd('\r');
                _pending.Clear();
                _lines.Add(line);
            }
            else
            {
                _pending.Append(value);
            }
        }

        if (line is not null)
        {
            onLine?.Invoke(line);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _pending.Length > 0)
        {
            Write('\n');
        }

        base.Dispose(disposing);
    }
}
