namespace Edge.Optimizer.Pipeline;

/// <summary>
/// A recipe that cannot run as written: an unknown pass or option, a missing model or dataset, steps that do not fit
/// together, a newer schema. The message names the step and the field; the CLI reports it in one line with exit 2.
/// </summary>
internal sealed class RecipeException : FormatException
{
    public RecipeException(string message)
        : base(message)
    {
    }

    public RecipeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RecipeException()
    {
    }
}
