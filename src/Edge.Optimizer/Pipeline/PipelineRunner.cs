using Edge.Onnx;
using Edge.Optimizer.Pipeline.Measurement;
using Edge.Sdk.IO;

namespace Edge.Optimizer.Pipeline;

/// <summary>
/// Runs a recipe: checks every step before the first one starts (pass, options, paths, how the steps fit together),
/// then runs the steps in order, each on the previous step's model, saving each intermediate model once in a
/// <see cref="ModelWorkspace"/>, and finally measures the original and every step's model side by side when the recipe
/// asks for it. A run that fails at step k can be resumed at step k with <see cref="PipelineRunOptions.FromStep"/>.
/// </summary>
internal sealed class PipelineRunner(PassRegistry registry)
{
    /// <summary>A runner over the passes this tool ships.</summary>
    public static PipelineRunner Default { get; } = new(PassRegistry.Default);

    /// <summary>Checks the recipe without running it, and returns the steps ready to run.</summary>
    /// <exception cref="RecipeException">Something in the recipe cannot run; the message names the step and the field.</exception>
    public IReadOnlyList<PlannedStep> Plan(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var planned = new List<PlannedStep>();
        var current = ArtifactKind.Model;
        for (var i = 0; i < recipe.Steps.Count; i++)
        {
            var step = recipe.Steps[i];
            var where = $"step {i + 1} ({step.Pass})";
            IPassDefinition pass;
            object options;
            try
            {
                pass = registry.Get(step.Pass);
                options = pass.ReadOptions(step.Options, recipe.BaseDirectory);
            }
            catch (FormatException exception)
            {
                throw new RecipeException($"{where}: {exception.Message}", exception);
            }

            if (pass.Descriptor.Consumes != current)
            {
                throw new RecipeException($"{where} needs {Describe(pass.Descriptor.Consumes)}, but step {i} ({recipe.Steps[i - 1].Pass}) produces {Describe(current)}; a step that produces a package must be the last");
            }

            var errors = pass.Validate(options);
            if (errors.Count > 0)
            {
                throw new RecipeException($"{where}: {string.Join("; ", errors.Select(e => e.TrimEnd('.')))}");
            }

            foreach (var (option, path, kind) in pass.Paths(options))
            {
                CheckPath($"{where}: option '{option}'", path, kind);
            }

            current = pass.Descriptor.Produces;
            planned.Add(new PlannedStep(i + 1, pass, options));
        }

        CheckPath("the recipe's input model", recipe.Input, RecipePathKind.File);
        if (string.Equals(Path.GetFullPath(recipe.Input), Path.GetFullPath(recipe.Output), StringComparison.Ordinal))
        {
            throw new RecipeException($"the output '{recipe.Output}' is the input model; write the result to another file");
        }

        if (recipe.Measure is { } measure)
        {
            var errors = measure.Validate();
            if (errors.Count > 0)
            {
                throw new RecipeException($"measure: {string.Join("; ", errors)}");
            }

            foreach (var (option, path, kind) in PassOptionsJson<MeasureOptions>.Paths(measure))
            {
                CheckPath($"measure: option '{option}'", path, kind);
            }
        }

        return planned;
    }

    public async Task<PipelineResult> RunAsync(Recipe recipe, PipelineRunOptions run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(run);
        var steps = Plan(recipe);
        if (run.FromStep < 1 || run.FromStep > steps.Count)
        {
            throw new RecipeException($"--from-step {run.FromStep} is outside the recipe's steps 1..{steps.Count}");
        }

        var workspace = new ModelWorkspace(recipe.Output);
        var outcomes = new List<StepOutcome>();
        var currentPath = recipe.Input;
        for (var k = 1; k < run.FromStep; k++)
        {
            var name = steps[k - 1].Pass.Descriptor.Name;
            if (!workspace.IsComplete(k, name))
            {
                throw new RecipeException($"cannot resume at step {run.FromStep}: step {k} ({name}) has no finished model in '{Path.GetDirectoryName(workspace.StepPath(k, name))}'; run from an earlier step");
            }

            currentPath = workspace.StepPath(k, name);
            outcomes.Add(new StepOutcome(k, name, steps[k - 1].Pass.WriteOptions(steps[k - 1].Options), currentPath, ArtifactKind.Model, Result: null));
        }

        var model = await OnnxModel.LoadAsync(currentPath, cancellationToken: cancellationToken);
        foreach (var step in steps.Skip(run.FromStep - 1))
        {
            var name = step.Pass.Descriptor.Name;
            var last = step.Index == steps.Count;
            var produces = step.Pass.Descriptor.Produces;
            var outputPath = last ? Path.GetFullPath(recipe.Output) : workspace.StepPath(step.Index, name);
            if (steps.Count > 1)
            {
                run.Log.WriteLine($"step {step.Index}/{steps.Count}: {name}");
            }

            var context = new PassContext(run.Log, run.TimeProvider, run.Verbose)
            {
                Progress = run.Progress ?? PassContext.Silent.Progress,
                InputPath = currentPath,
                OutputPath = outputPath,
                StepIndex = step.Index,
                RecipePath = run.RecipePath,
                CommandLine = run.CommandLine,
            };
            if (produces == ArtifactKind.Package)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
            }

            var result = await step.Pass.RunAsync(model, step.Options, context, cancellationToken);
            if (produces == ArtifactKind.Model)
            {
                if (last)
                {
                    await ModelWorkspace.SaveToAsync(result.Model, outputPath, cancellationToken);
                }
                else
                {
                    await workspace.SaveAsync(result.Model, step.Index, name, cancellationToken);
                }

                currentPath = outputPath;
                model = result.Model;
            }

            outcomes.Add(new StepOutcome(step.Index, name, step.Pass.WriteOptions(step.Options), result.ArtifactPath ?? outputPath, produces, result));
        }

        var figures = await MeasureAsync(recipe, outcomes, run, cancellationToken);
        return new PipelineResult(recipe, outcomes, figures, run.FromStep);
    }

    private static async Task<IReadOnlyList<ModelFigures>> MeasureAsync(Recipe recipe, List<StepOutcome> outcomes, PipelineRunOptions run, CancellationToken cancellationToken)
    {
        var models = new List<(string Label, string Path)> { ("original", Path.GetFullPath(recipe.Input)) };
        models.AddRange(outcomes.Where(o => o.Produces == ArtifactKind.Model).Select(o => ($"{o.Index} {o.Pass}", o.OutputPath)));
        if (recipe.Measure is { } measure)
        {
            var context = new PassContext(run.Log, run.TimeProvider, run.Verbose) { Progress = run.Progress ?? PassContext.Silent.Progress };
            return await RunMeasurer.MeasureAsync(measure, models, context, cancellationToken);
        }

        // Without a measure section: sizes from the files, latency and accuracy as each step measured them against its input.
        var figures = new List<ModelFigures> { new(models[0].Label, models[0].Path, ModelFigures.FileBytes(models[0].Path)) { Source = "file size" } };
        foreach (var outcome in outcomes.Where(o => o.Produces == ArtifactKind.Model))
        {
            var comparison = outcome.Result?.Comparison;
            if (outcome.Index == 1 && comparison is not null)
            {
                figures[0] = figures[0] with { Latency = comparison.LatencyBefore, Top1 = comparison.Top1Before };
            }

            figures.Add(new ModelFigures($"{outcome.Index} {outcome.Pass}", outcome.OutputPath, ModelFigures.FileBytes(outcome.OutputPath))
            {
                Latency = comparison?.LatencyAfter,
                Top1 = comparison?.Top1After,
                Agreement = comparison?.Agreement,
                Source = comparison is null ? "file size" : outcome.Index == 1 ? "the step's own measurement against the original" : "the step's own measurement against its input",
            });
        }

        return figures;
    }

    private static void CheckPath(string what, string path, RecipePathKind kind)
    {
        var exists = kind switch
        {
            RecipePathKind.File => File.Exists(path),
            RecipePathKind.Folder => Directory.Exists(path),
            RecipePathKind.Dataset => File.Exists(path) || Directory.Exists(path),
            _ => true,
        };
        if (!exists)
        {
            var problem = kind == RecipePathKind.File ? PathProblem.ForFile(path) : PathProblem.ForFolder(path);
            throw new RecipeException($"{what} names '{path}', which {problem}{(kind == RecipePathKind.Dataset ? " (did the dataset move?)" : "")}");
        }
    }

    private static string Describe(ArtifactKind kind) => kind == ArtifactKind.Model ? "an ONNX model" : "a package";
}
