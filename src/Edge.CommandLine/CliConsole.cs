using Spectre.Console;

namespace Edge.CommandLine;

/// <summary>Spectre.Console consoles for a command's tables on standard output.</summary>
public static class CliConsole
{
    /// <summary>Columns a table may use when standard output is not a terminal: wide enough that rows never wrap.</summary>
    public const int RedirectedWidth = 1000;

    /// <summary>
    /// A console on <see cref="CliContext.Output"/>. On a terminal, Spectre.Console's own width and colours; redirected
    /// to a file or pipe (or a test's writer), plain text without colour codes at <see cref="RedirectedWidth"/> columns,
    /// so that a table is one line per row for grep and awk instead of wrapping at 80 columns.
    /// </summary>
    public static IAnsiConsole ForTables(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var terminal = ReferenceEquals(context.Output, Console.Out) && !Console.IsOutputRedirected;
        if (terminal)
        {
            return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Output), Interactive = InteractionSupport.No });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(context.Output),
        });
        console.Profile.Width = RedirectedWidth;
        return console;
    }
}
