namespace Edge.Optimizer.Passes.Prune.Surgery;

/// <summary>Keeps a subset of indices along one axis of a dense row-major tensor.</summary>
internal static class TensorSlicer
{
    /// <summary>
    /// Returns the elements of <paramref name="values"/> (shape <paramref name="dims"/>) whose index along
    /// <paramref name="axis"/> is in <paramref name="keep"/>, in that order; the result has dims with that axis set to keep's length.
    /// </summary>
    public static float[] Slice(float[] values, IReadOnlyList<long> dims, int axis, IReadOnlyList<int> keep)
    {
        var (outer, size, inner) = Split(dims, axis);
        if (values.Length != outer * size * inner)
        {
            throw new ArgumentException($"Tensor holds {values.Length} values but dims [{string.Join(", ", dims)}] need {outer * size * inner}.", nameof(values));
        }

        var result = new float[outer * keep.Count * inner];
        var target = 0;
        for (var o = 0; o < outer; o++)
        {
            var rowBase = o * size * inner;
            for (var k = 0; k < keep.Count; k++)
            {
                var index = keep[k];
                if ((uint)index >= (uint)size)
                {
                    throw new ArgumentOutOfRangeException(nameof(keep), index, $"Index must be below the axis size {size}.");
                }

                Array.Copy(values, rowBase + (index * inner), result, target, inner);
                target += inner;
            }
        }

        return result;
    }

    /// <summary>Sets to zero the elements whose index along <paramref name="axis"/> is in <paramref name="indices"/>.</summary>
    public static void Zero(float[] values, IReadOnlyList<long> dims, int axis, IReadOnlyCollection<int> indices)
    {
        var (outer, size, inner) = Split(dims, axis);
        for (var o = 0; o < outer; o++)
        {
            foreach (var index in indices)
            {
                Array.Clear(values, (o * size * inner) + (index * inner), inner);
            }
        }
    }

    /// <summary>Elements before, along and after <paramref name="axis"/>.</summary>
    public static (int Outer, int Size, int Inner) Split(IReadOnlyList<long> dims, int axis)
    {
        if (axis < 0 || axis >= dims.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"Axis must be in [0, {dims.Count}) for dims [{string.Join(", ", dims)}].");
        }

        long outer = 1, inner = 1;
        for (var i = 0; i < axis; i++)
        {
            outer *= dims[i];
        }

        for (var i = axis + 1; i < dims.Count; i++)
        {
            inner *= dims[i];
        }

        return (checked((int)outer), checked((int)dims[axis]), checked((int)inner));
    }
}
