namespace Edge.Sdk;

/// <summary>Base type for every error the Edge SDK raises on purpose. Native errors travel as the inner exception.</summary>
public class EdgeException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public EdgeException()
    {
    }

    /// <summary>Creates an exception with a message that names what was wrong and what was expected.</summary>
    public EdgeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception that wraps the underlying cause.</summary>
    public EdgeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
