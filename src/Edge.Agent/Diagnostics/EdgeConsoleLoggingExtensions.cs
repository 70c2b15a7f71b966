using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Edge.Agent;

/// <summary>The console logging the agent and the samples share.</summary>
public static class EdgeConsoleLoggingExtensions
{
    /// <summary>The timestamp format of the simple and json formatters: UTC, milliseconds, ISO 8601.</summary>
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    /// <summary>
    /// Adds the console logger with the formatter that configuration names in <c>Logging:Console:FormatterName</c>
    /// (<c>simple</c>, the default: one line per record with a UTC timestamp; <c>json</c>: one JSON object per line;
    /// <c>systemd</c>: syslog priority prefixes for journald, no timestamp since the journal keeps its own). Options
    /// under <c>Logging:Console:FormatterOptions</c> override these defaults. Configuration reaches the logger
    /// through <c>ILoggingBuilder.AddConfiguration</c> (the generic host does that; the daemon does it itself).
    /// </summary>
    public static ILoggingBuilder AddEdgeConsole(this ILoggingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Defaults registered before AddConsole, whose configuration binding then runs after them and wins.
        // AddSimpleConsole would set FormatterName after the configuration is read, so a configured one was ignored.
        // The name must still be set: without one the console logger falls back to its obsolete options and drops
        // the formatter options below.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Simple);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = TimestampFormat + " ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.TimestampFormat = TimestampFormat;
            o.UseUtcTimestamp = true;
        });
        builder.AddConsole();
        return builder;
    }
}
