namespace Edge.Sdk.Inference;

/// <summary>
/// An input did not match the model: unknown name, wrong element type, shape or element count. Raised before
/// ONNX Runtime is called, so the session and the request stay usable.
/// </summary>
public sealed class InputMismatchException : EdgeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="inputName">The input as the caller named it.</param>
    /// <param name="expected">What the model expects, in words (for example <c>float[1x1x28x28]</c>).</param>
    /// <param name="actual">What was given.</param>
    public InputMismatchException(string inputName, string expected, string actual)
        : base($"Input '{inputName}' does not match the model: expected {expected}, but got {actual}.")
    {
        InputName = inputName;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The input as the caller named it.</summary>
    public string InputName { get; }

    /// <summary>What the model expects.</summary>
    public string Expected { get; }

    /// <summary>What was given.</summary>
    public string Actual { get; }
}
