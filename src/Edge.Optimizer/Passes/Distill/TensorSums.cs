using TorchSharp;
using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill;

/// <summary>
/// Tensor sums whose scalar is kept alive across the native call. TorchSharp 0.107's <c>a.add(b)</c>,
/// <c>a.add_(b)</c>, <c>a + b</c> and <c>a.add(scalar)</c> pass libtorch a temporary <c>Scalar</c> 1 as alpha and keep
/// only its handle, so a garbage collection on another thread during the call can free it (libtorch then fails with
/// "Expected false to be true" in <c>toFloat</c>, or reads a wrong value). Training and the interpreter add through
/// these instead.
/// </summary>
internal static class TensorSums
{
    /// <summary><paramref name="left"/> + <paramref name="right"/>.</summary>
    public static Tensor Plus(this Tensor left, Tensor right)
    {
        using var one = 1.ToScalar();
        return left.add(right, one);
    }

    /// <summary><paramref name="left"/> + <paramref name="right"/>, a scalar the caller keeps alive.</summary>
    public static Tensor Plus(this Tensor left, Scalar right)
    {
        using var one = 1.ToScalar();
        return left.add(right, one);
    }

    /// <summary>Adds <paramref name="right"/> to <paramref name="left"/> in place and returns it.</summary>
    public static Tensor PlusInPlace(this Tensor left, Tensor right)
    {
        using var one = 1.ToScalar();
        return left.add_(right, one);
    }

    /// <summary>Adds a scalar the caller keeps alive to <paramref name="left"/> in place and returns it.</summary>
    public static Tensor PlusInPlace(this Tensor left, Scalar right)
    {
        using var one = 1.ToScalar();
        return left.add_(right, one);
    }
}
