using System.CommandLine;
using Edge.CommandLine;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize run recipe.json [--from-step N] [--report report.json]</c>: runs a recipe, such as the one every
/// optimizing command writes beside its output, or a hand-written one chaining <c>prune → distill → quantize → pack</c>.
/// Relative paths in the recipe are relative to the recipe file.
/// </summary>
internal static class RunCommand
{
    public static Command Build(CliContext context)
    {
        var recipe = new Argument<FileInfo>("recipe") { Description = "The recipe (JSON, schema edge.recipe/v2; see docs/recipes.md)." };
        var fromStep = new Option<int>("--from-step") { Description = "Start at this step (1-based), reusing the earlier steps' models from the last run's OUTPUT.steps folder.", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the result here instead of the recipe's output." };
        var report = new Option<FileInfo?>("--report") { Description = "Write the run's report as JSON here, with Markdown and plots beside it." };
        var command = new Command("run", "Run a recipe: a chain of steps (prune, distill, quantize, pack) replayed exactly as recorded.")
        {
            recipe, fromStep, output, report,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(recipe)!.FullName;
            var loaded = await Recipe.LoadAsync(path, cancellationToken);
            if (parseResult.GetValue(output) is { } other)
            {
                loaded = new Recipe { Input = loaded.Input, Output = other.FullName, Steps = loaded.Steps, Measure = loaded.Measure, BaseDirectory = loaded.BaseDirectory };
            }

            return await PipelineCommand.RunAsync(context, parseResult, loaded, parseResult.GetValue(report)?.FullName, parseResult.GetValue(fromStep), path, cancellationToken);
        });
        return command;
    }
}
