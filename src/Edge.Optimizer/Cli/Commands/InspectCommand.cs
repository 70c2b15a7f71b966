using System.CommandLine;
using Edge.CommandLine;
using Edge.Onnx;
using Edge.Optimizer.Inspection;

namespace Edge.Optimizer.Cli.Commands;

/// <summary><c>edge-optimize inspect &lt;model.onnx&gt; [--json]</c>: what a model holds, in one screen.</summary>
internal static class InspectCommand
{
    public static Command Build(CliContext context)
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx model to inspect." };
        var json = new Option<bool>("--json") { Description = "Emit the documented JSON schema (edge.inspect/v1) instead of tables." };
        var command = new Command("inspect", "Show a model's IR version, opsets, inputs and outputs, op histogram, parameters, weight bytes and MACs.")
        {
            model,
            json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(model)!.FullName;
            var loaded = await OnnxModel.LoadAsync(path, cancellationToken: cancellationToken);
            var report = ModelInspector.Inspect(loaded, path, cancellationToken);
            if (parseResult.GetValue(json))
            {
                await context.Output.WriteLineAsync(InspectionJsonWriter.Write(report).AsMemory(), cancellationToken);
            }
            else
            {
                InspectionTableWriter.Write(report, context.Output);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
