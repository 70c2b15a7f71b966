using System.CommandLine;

namespace Edge.Optimizer.Cli.Commands;

/// <summary><c>edge-optimize inspect &lt;model.onnx&gt; [--json]</c>: what a model holds, in one screen.</summary>
internal static class InspectCommand
{
    public static Command Build(CliContext context)
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx model to inspect." };
        var json = new Option<bool>("--json") { Description = "Emit the documented JSON schema instead of a table." };
        var command = new Command("inspect", "Show a model's IR version, opsets, inputs and outputs, op histogram, parameters, weight bytes and MACs.")
        {
            model,
            json,
        };
        command.SetAction((parseResult, cancellationToken) =>
            throw new CliUsageException($"inspect is not implemented yet ({parseResult.GetValue(model)?.FullName}, {context.Output.GetType().Name})."));
        return command;
    }
}
