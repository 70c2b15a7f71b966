using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Inference;

/// <summary>Binding bookkeeping: name lookup, output allocation for dynamic shapes, and warm-up inputs.</summary>
public sealed partial class InferenceRequest
{
    /// <summary>Binds a request-owned zero-filled input of the declared shape (dynamic dimensions as 1) for warm-up.</summary>
    internal bool TryBindZeroInputs()
    {
        foreach (var slot in inputs)
        {
            if (!slot.Info.IsTensor || slot.Info.ElementType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.String)
            {
                return false;
            }
        }

        foreach (var slot in inputs)
        {
            var shape = slot.Declared.Select(d => d >= 0 ? d : 1).ToArray();
            var bound = BoundTensor.Allocate(slot.Info.ElementType, shape);
            binding.BindInput(slot.Info.Name, bound.Value);
            slot.Bound?.Dispose();
            slot.Bound = bound;
        }

        return true;
    }

    private static TensorSlot Find(TensorSlot[] slots, string name, string role)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var slot in slots)
        {
            if (string.Equals(slot.Info.Name, name, StringComparison.Ordinal))
            {
                return slot;
            }
        }

        var names = string.Join(", ", slots.Select(s => $"'{s.Info.Name}' {s.Info}"));
        throw new InputMismatchException(name, $"one of the model's {role}s: {names}", $"unknown {role} name '{name}'");
    }

    private void BindOutput(TensorSlot slot, BoundTensor bound)
    {
        try
        {
            binding.BindOutput(slot.Info.Name, bound.Value);
        }
        catch
        {
            bound.Dispose();
            throw;
        }

        AssignBindIndex(slot);
        slot.Bound?.Dispose();
        slot.Bound = bound;
        slot.DeviceBound = false;
    }

    private void AssignBindIndex(TensorSlot slot)
    {
        // ONNX Runtime keeps an output's position when it is bound again, and returns outputs in that order.
        if (slot.BindIndex < 0)
        {
            slot.BindIndex = nextBindIndex++;
        }
    }

    /// <summary>
    /// Dynamic output dimensions named like an input's dynamic dimension (ONNX says equal symbols are equal sizes)
    /// are taken from the bound inputs, so the output can still be preallocated; others are left to ONNX Runtime.
    /// </summary>
    private void PrepareDynamicOutputs()
    {
        foreach (var slot in outputs)
        {
            if (slot.Info.HasStaticShape || slot.CallerOwned || !slot.Info.IsTensor)
            {
                if (!slot.Info.IsTensor && !slot.DeviceBound)
                {
                    BindToDevice(slot);
                }

                continue;
            }

            if (!TryMatchBound(slot, out var resolvable))
            {
                if (!resolvable || slot.Info.ElementType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.String)
                {
                    if (!slot.DeviceBound)
                    {
                        BindToDevice(slot);
                    }

                    continue;
                }

                var shape = new long[slot.Declared.Length];
                for (var i = 0; i < shape.Length; i++)
                {
                    shape[i] = slot.Declared[i] >= 0 ? slot.Declared[i] : ResolveSymbol(slot.Info.SymbolicDimensions[i]!);
                }

                BindOutput(slot, BoundTensor.Allocate(slot.Info.ElementType, shape));
            }
        }
    }

    /// <summary>True when the output's current buffer already has the shape the bound inputs imply.</summary>
    private bool TryMatchBound(TensorSlot slot, out bool resolvable)
    {
        resolvable = true;
        var matches = slot.Bound is not null && !slot.DeviceBound;
        for (var i = 0; i < slot.Declared.Length; i++)
        {
            var size = slot.Declared[i];
            if (size < 0)
            {
                var symbol = slot.Info.SymbolicDimensions[i];
                size = symbol is null ? -1 : ResolveSymbol(symbol);
                if (size < 0)
                {
                    resolvable = false;
                    return false;
                }
            }

            matches = matches && slot.Bound!.Shape[i] == size;
        }

        return matches;
    }

    private long ResolveSymbol(string symbol)
    {
        foreach (var input in inputs)
        {
            var symbols = input.Info.SymbolicDimensions;
            for (var i = 0; i < symbols.Count; i++)
            {
                if (string.Equals(symbols[i], symbol, StringComparison.Ordinal))
                {
                    return input.Bound!.Shape[i];
                }
            }
        }

        return -1;
    }

    private void BindToDevice(TensorSlot slot)
    {
        binding.BindOutputToDevice(slot.Info.Name, OrtMemoryInfo.DefaultInstance);
        AssignBindIndex(slot);
        slot.Bound?.Dispose();
        slot.Bound = null;
        slot.DeviceBound = true;
    }

    private void FetchDeviceOutputs()
    {
        var anyDeviceBound = false;
        foreach (var slot in outputs)
        {
            anyDeviceBound |= slot.DeviceBound;
        }

        if (anyDeviceBound)
        {
            fetchedOutputs?.Dispose();
            fetchedOutputs = binding.GetOutputValues();
            fetchedValues = [.. fetchedOutputs];
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);
}
