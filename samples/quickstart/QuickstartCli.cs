using System.CommandLine;
using Edge.CommandLine;
using Edge.Quickstart.Devices;
using Spectre.Console;

namespace Edge.Quickstart;

/// <summary>
/// The command line: the quickstart itself, and the hidden <c>device</c> command the quickstart starts once per
/// simulated device. Errors follow the tools' contract: one line on standard error and a documented exit code.
/// </summary>
internal static class QuickstartCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var shared = SharedData.Find(out var searched);
        var model = new Option<string?>("--model") { Description = "Float32 ONNX classifier to optimize (default: the shared MNIST CNN, models/mnist/mnist.onnx)." };
        var data = new Option<string?>("--data", "--calibration") { Description = "Labelled dataset: mnist:<dir> | images:<dir> | npy:<file> | testdata:<dir>, optionally @from:to (default: the shared MNIST test set)." };
        var preprocess = new Option<string?>("--preprocess") { Description = "Preprocessing spec (JSON, docs/preprocessing.md) for images: datasets." };
        var outputDirectory = new Option<string?>("--out", "-o") { Description = "Folder for every artifact (new or empty; default: a new temporary folder)." };
        var devices = new Option<int>("--devices") { Description = "Simulated devices, each its own process (2..8).", DefaultValueFactory = _ => 3 };
        var maxDrop = new Option<double>("--max-accuracy-drop") { Description = "Most top-1 points v2 may lose against v1; more stops the run before deploying it (exit 3).", DefaultValueFactory = _ => 5 };
        var fast = new Option<bool>("--fast") { Description = "Fewer samples, epochs and runs (the mode the tests use)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print every tool command line, device logs and stack traces.", Recursive = true };
        var root = new RootCommand("Edge quickstart: optimize a model, pack and sign it, roll it out to local devices over MQTT, hot swap, and watch the health gate roll back a broken version.")
        {
            model, data, preprocess, outputDirectory, devices, maxDrop, fast, verbose, DeviceCommand(output),
        };
        root.SetAction(async (parse, token) =>
        {
            if (shared is null && (parse.GetValue(model) is null || parse.GetValue(data) is null))
            {
                throw new CliUsageException($"The shared models and datasets were not found (looked in {string.Join(", ", searched)}); set {SharedData.EnvironmentVariable} to the folder holding models/ and datasets/, or pass --model and --data.");
            }

            var options = new QuickstartOptions
            {
                ModelPath = Path.GetFullPath(parse.GetValue(model) ?? Path.Combine(shared!, "models", "mnist", "mnist.onnx")),
                Data = parse.GetValue(data) ?? $"mnist:{Path.Combine(shared!, "datasets", "mnist")}",
                PreprocessPath = parse.GetValue(preprocess) is { } p ? Path.GetFullPath(p) : null,
                OutputDirectory = Path.GetFullPath(parse.GetValue(outputDirectory) ?? Directory.CreateTempSubdirectory("edge-quickstart-").FullName),
                Devices = parse.GetValue(devices),
                MaxAccuracyDropPoints = parse.GetValue(maxDrop),
                Fast = parse.GetValue(fast),
                Verbose = parse.GetValue(verbose),
            };
            var errors = options.Validate();
            CliUsageException.ThrowIfAny(errors);

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
            {
                // Spectre assumes 80 columns when it cannot ask a terminal; logs and CI have room for the tables.
                console.Profile.Width = 120;
            }

            await new QuickstartRunner(options, console).RunAsync(token);
            return ExitCodes.Success;
        });

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            return ExitCodes.BadInput;
        }

        try
        {
            return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (QuickstartException e)
        {
            await error.WriteLineAsync($"error: {e.Message.ReplaceLineEndings(" ")}");
            return e.ExitCode;
        }
#pragma warning disable CA1031 // The contract is to turn every failure into one line and an exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ErrorReporter.Report(e, error, parseResult.GetValue(verbose));
        }
    }

    private static Command DeviceCommand(TextWriter output)
    {
        var fleet = new Option<string>("--fleet") { Required = true };
        var id = new Option<string>("--id") { Required = true };
        var port = new Option<int>("--port") { Required = true };
        var package = new Option<string>("--package") { Required = true };
        var trust = new Option<string>("--trust") { Required = true };
        var jobTrust = new Option<string>("--job-trust") { Required = true };
        var folder = new Option<string>("--folder") { Required = true };
        var data = new Option<string>("--data") { Required = true };
        var preprocess = new Option<string?>("--preprocess");
        var command = new Command("device", "One simulated device (agent + app); started by the quickstart itself.")
        {
            fleet, id, port, package, trust, jobTrust, folder, data, preprocess,
        };
        command.Hidden = true;
        command.SetAction((parse, token) => DeviceApp.RunAsync(
            new DeviceArguments(
                parse.GetValue(fleet)!,
                parse.GetValue(id)!,
                parse.GetValue(port),
                parse.GetValue(package)!,
                parse.GetValue(trust)!,
                parse.GetValue(jobTrust)!,
                parse.GetValue(folder)!,
                parse.GetValue(data)!,
                parse.GetValue(preprocess)),
            output,
            token));
        return command;
    }
}
