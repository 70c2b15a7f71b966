using System.Reflection.Metadata;

namespace Edge.Optimizer.Tests.Passes.Distill.Training;

/// <summary>
/// Finds the TorchSharp methods that make a temporary <c>Scalar</c> (an implicit conversion or <c>ToScalar</c>) in
/// their own body or in a TorchSharp method they call, to a fixed depth: such a temporary is not kept alive across
/// the native call it is handed to.
/// </summary>
internal sealed class TemporaryScalarFinder
{
    private const int Depth = 2;

    private readonly IlCalls _torch;
    private readonly Dictionary<string, List<MethodDefinitionHandle>> _methods = new(StringComparer.Ordinal);
    private readonly Dictionary<(MethodDefinitionHandle, int), string?> _seen = [];

    public TemporaryScalarFinder(IlCalls torch)
    {
        _torch = torch;
        foreach (var handle in torch.Metadata.MethodDefinitions)
        {
            var key = Key(handle);
            if (!_methods.TryGetValue(key, out var list))
            {
                _methods[key] = list = [];
            }

            list.Add(handle);
        }
    }

    /// <summary>The call path to a temporary scalar from the named method, or null when it makes none.</summary>
    public string? Makes(string type, string name, string parameters)
    {
        if (!_methods.TryGetValue($"{type}::{name}{parameters}", out var handles))
        {
            return null;
        }

        return handles.Select(h => Find(h, Depth)).FirstOrDefault(p => p is not null);
    }

    private string? Find(MethodDefinitionHandle handle, int depth)
    {
        if (_seen.TryGetValue((handle, depth), out var known))
        {
            return known;
        }

        _seen[(handle, depth)] = null; // recursion guard
        string? path = null;
        foreach (var callee in _torch.CallsFrom(handle))
        {
            if (callee.Kind != HandleKind.MethodDefinition)
            {
                continue;
            }

            var target = (MethodDefinitionHandle)callee;
            var method = _torch.Metadata.GetMethodDefinition(target);
            var name = _torch.Metadata.GetString(method.Name);
            var type = _torch.TypeName(method.GetDeclaringType());
            if ((name == "op_Implicit" && type == "TorchSharp.Scalar") || name == "ToScalar")
            {
                path = $"{Key(handle)} -> {type}::{name}";
                break;
            }

            if (depth > 0 && Find(target, depth - 1) is { } deeper)
            {
                path = $"{Key(handle)} -> {deeper}";
                break;
            }
        }

        _seen[(handle, depth)] = path;
        return path;
    }

    private string Key(MethodDefinitionHandle handle)
    {
        var method = _torch.Metadata.GetMethodDefinition(handle);
        return $"{_torch.TypeName(method.GetDeclaringType())}::{_torch.Metadata.GetString(method.Name)}{_torch.Parameters(handle)}";
    }
}
