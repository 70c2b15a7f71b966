using Edge.Sdk.IO;
using Microsoft.Extensions.Options;

namespace Edge.Sdk.DependencyInjection;

/// <summary>Checks <see cref="EdgeInferenceOptions"/> and reports every problem at once.</summary>
internal sealed class EdgeInferenceOptionsValidator : IValidateOptions<EdgeInferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeInferenceOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            errors.Add("ModelPath is required: the path of the .onnx model to serve.");
        }
        else if (!File.Exists(options.ModelPath))
        {
            errors.Add($"ModelPath '{Path.GetFullPath(options.ModelPath)}' {PathProblem.ForFile(options.ModelPath)}.");
        }

        if (options.Session is null)
        {
            errors.Add("Session must not be null.");
        }
        else
        {
            errors.AddRange(options.Session.Validate().Select(e => "Session." + e));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
