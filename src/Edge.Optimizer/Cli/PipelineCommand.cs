using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Edge.CommandLine;
using Edge.Optimizer.Passes.Distill.Training;
using Edge.Optimizer.Pipeline;
using Edge.Optimizer.Reports;

namespace Edge.Optimizer.Cli;

/// <summary>
/// The tail every optimizing command shares: write the recipe beside the output, run it through the
/// <see cref="PipelineRunner"/>, write the one report, and print what happened. Each command only parses its options
/// into a <see cref="Recipe"/>.
/// </summary>
internal static class PipelineCommand
{
    /// <summary>The options of one step as recipe JSON, checked by the pass's own validation with every error listed.</summary>
    public static RecipeStep Step<TOptions>(IOptimizationPass<TOptions> pass, TOptions options)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(pass);
        CliUsageException.ThrowIfAny(pass.Validate(options));

        // Paths on the command line are relative to the current folder; the recipe stores them absolute.
        var resolved = PassOptionsJson<TOptions>.FromJson(PassOptionsJson<TOptions>.ToJson(options), Directory.GetCurrentDirectory());
        return new RecipeStep(pass.Descriptor.Name, PassOptionsJson<TOptions>.ToJson(resolved));
    }

    /// <summary>Runs <paramref name="recipe"/> and reports; returns the exit code.</summary>
    /// <param name="context">Where output and errors go.</param>
    /// <param name="parseResult">The parsed command line (for <c>--verbose</c> and the lineage command line).</param>
    /// <param name="recipe">The run; its paths are absolute.</param>
    /// <param name="reportPath">Where to write the report, or null for none.</param>
    /// <param name="fromStep">The 1-based step to start at.</param>
    /// <param name="sourceRecipePath">The recipe file the run was read from, or null when the command built it.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<int> RunAsync(
        CliContext context,
        ParseResult parseResult,
        Recipe recipe,
        string? reportPath,
        int fromStep,
        string? sourceRecipePath,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(recipe);
        var runner = PipelineRunner.Default;
        runner.Plan(recipe);

        // The recipe goes beside the output before anything runs, so that a pack step can record it as lineage; a
        // failed run removes it again (a run read from a file resumes from that file). A recipe replayed from that
        // same file is not rewritten.
        var recipePath = Path.GetFullPath(recipe.Output) + ".recipe.json";
        Directory.CreateDirectory(Path.GetDirectoryName(recipePath)!);
        var writeRecipe = !string.Equals(sourceRecipePath is null ? null : Path.GetFullPath(sourceRecipePath), recipePath, StringComparison.Ordinal);
        if (writeRecipe)
        {
            await new Recipe { Input = recipe.Input, Output = recipe.Output, Steps = recipe.Steps, Measure = recipe.Measure }.SaveAsync(recipePath, cancellationToken);
        }

        var options = new PipelineRunOptions
        {
            Log = context.Error,
            Progress = new PassProgressReporter(context, TimeProvider.System),
            Verbose = parseResult.GetValue(EdgeOptimizeCli.VerboseOption),
            FromStep = fromStep,
            RecipePath = recipePath,
            CommandLine = "dotnet edge-optimize " + string.Join(' ', parseResult.Tokens.Select(t => Quote(t.Value))),
        };
        PipelineResult result;
        try
        {
            result = await runner.RunAsync(recipe, options, cancellationToken);
        }
        catch (Exception exception)
        {
            if (writeRecipe)
            {
                DeleteQuietly(recipePath);
            }

            if (exception is TrainingDivergedException diverged && reportPath is not null)
            {
                // The report says what happened before the one-line error (exit 3); no model is written.
                var record = new JsonObject
                {
                    ["schema"] = RunReport.Schema,
                    ["input"] = recipe.Input,
                    ["status"] = "diverged",
                    ["error"] = diverged.Message,
                    ["recoveries"] = ReportJson.ToNode(diverged.Recoveries),
                };
                await File.WriteAllTextAsync(reportPath, ReportJson.Write(record), cancellationToken);
            }

            throw;
        }

        await WriteSummaryAsync(context.Output, result, recipePath, cancellationToken);
        if (reportPath is not null)
        {
            var files = await RunReportWriter.WriteAsync(result, recipePath, reportPath, cancellationToken);
            await context.Output.WriteLineAsync($"report    {string.Join(", ", files)}".AsMemory(), cancellationToken);
        }

        foreach (var warning in result.Warnings)
        {
            await context.Error.WriteLineAsync($"warning: {warning}".AsMemory(), cancellationToken);
        }

        return ExitCodes.Success;
    }

    private static async Task WriteSummaryAsync(TextWriter output, PipelineResult result, string recipePath, CancellationToken cancellationToken)
    {
        var lines = new List<string> { $"wrote     {Path.GetFullPath(result.Recipe.Output)}", $"recipe    {recipePath}" };
        foreach (var step in result.Steps)
        {
            if (result.Steps.Count > 1)
            {
                lines.Add($"step {step.Index}    {step.Pass} -> {step.OutputPath}");
            }

            lines.AddRange(StepSummary.Lines(step));
        }

        if (result.Steps.Count > 1 || result.Recipe.Measure is not null)
        {
            var c = CultureInfo.InvariantCulture;
            foreach (var model in result.Models)
            {
                lines.Add(string.Create(c, $"model     {model.Label,-12} {model.Bytes,12:N0} bytes{(model.Latency is { } l ? $", p50 {l.P50Ms:0.###} ms, p95 {l.P95Ms:0.###} ms" : "")}{(model.Top1 is { } t ? $", top-1 {100 * t:0.##}%" : "")}{(model.Agreement is { } a ? $", agreement {100 * a:0.##}%" : "")}"));
            }
        }

        lines.Add(Verdict.For(RunReport.Comparable(result)));
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line.AsMemory(), cancellationToken);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // a leftover recipe is harmless; the run's own error matters
        }
    }

    private static string Quote(string token) =>
        token.Length > 0 && token.All(c => !char.IsWhiteSpace(c) && c is not '"' and not '\'') ? token : $"'{token.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
