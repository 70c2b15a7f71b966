using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Edge.Optimizer.Tests.Passes.Distill.Training;

/// <summary>
/// Reads the compiled IL of an assembly: every <c>call</c> and <c>callvirt</c> each method body makes, and the full
/// names of types and signatures, so tests can check which library methods our code reaches.
/// </summary>
internal sealed class IlCalls : IDisposable
{
    private readonly FileStream _stream;
    private readonly PEReader _pe;

    public IlCalls(string path)
    {
        _stream = File.OpenRead(path);
        _pe = new PEReader(_stream);
        Metadata = _pe.GetMetadataReader();
    }

    public MetadataReader Metadata { get; }

    /// <summary>Each method with a body, and the tokens of the methods it calls, in order.</summary>
    public IEnumerable<(MethodDefinitionHandle Caller, EntityHandle Callee)> Calls()
    {
        foreach (var handle in Metadata.MethodDefinitions)
        {
            foreach (var callee in CallsFrom(handle))
            {
                yield return (handle, callee);
            }
        }
    }

    /// <summary>The tokens of the methods one method body calls.</summary>
    public IReadOnlyList<EntityHandle> CallsFrom(MethodDefinitionHandle handle)
    {
        var method = Metadata.GetMethodDefinition(handle);
        if (method.RelativeVirtualAddress == 0)
        {
            return [];
        }

        var callees = new List<EntityHandle>();
        var reader = _pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
        while (reader.RemainingBytes > 0)
        {
            var opcode = ReadOpCode(ref reader);
            if (opcode is 0x28 or 0x6F) // call, callvirt
            {
                callees.Add(MetadataTokens.EntityHandle(reader.ReadInt32()));
            }
            else
            {
                SkipOperand(ref reader, opcode);
            }
        }

        return callees;
    }

    /// <summary>"Type.Method" of a method defined here, for messages.</summary>
    public string Describe(MethodDefinitionHandle handle)
    {
        var method = Metadata.GetMethodDefinition(handle);
        return $"{Metadata.GetString(Metadata.GetTypeDefinition(method.GetDeclaringType()).Name)}.{Metadata.GetString(method.Name)}";
    }

    /// <summary>The full name of a type defined here, nested types joined with '+'.</summary>
    public string TypeName(TypeDefinitionHandle handle)
    {
        var type = Metadata.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil
            ? Join(Metadata.GetString(type.Namespace), Metadata.GetString(type.Name))
            : TypeName(declaring) + "+" + Metadata.GetString(type.Name);
    }

    /// <summary>The full name of a referenced type, nested types joined with '+'.</summary>
    public string TypeName(TypeReferenceHandle handle) => FullNames.ReferenceName(Metadata, handle);

    /// <summary>"(type, type)" of a method defined here.</summary>
    public string Parameters(MethodDefinitionHandle handle) =>
        "(" + string.Join(", ", Metadata.GetMethodDefinition(handle).DecodeSignature(FullNames.Instance, null).ParameterTypes) + ")";

    /// <summary>"(type, type)" of a referenced method.</summary>
    public string Parameters(MemberReferenceHandle handle) => "(" + string.Join(", ", ParameterTypes(handle)) + ")";

    /// <summary>The full names of a referenced method's parameter types.</summary>
    public ImmutableArray<string> ParameterTypes(MemberReferenceHandle handle) =>
        Metadata.GetMemberReference(handle).DecodeMethodSignature(FullNames.Instance, null).ParameterTypes;

    public void Dispose()
    {
        _pe.Dispose();
        _stream.Dispose();
    }

    private static string Join(string space, string name) => space.Length == 0 ? name : space + "." + name;

    private static int ReadOpCode(ref BlobReader reader)
    {
        int b = reader.ReadByte();
        return b == 0xFE ? 0xFE00 | reader.ReadByte() : b;
    }

    /// <summary>Skips an instruction's operand (ECMA-335 III): sizes by opcode.</summary>
    private static void SkipOperand(ref BlobReader reader, int opcode)
    {
        switch (opcode)
        {
            case 0x0E or 0x0F or 0x10 or 0x11 or 0x12 or 0x13 or 0x1F or 0xDE:
            case >= 0x2B and <= 0x37:
                reader.Offset += 1;
                break;
            case 0x20 or 0x22 or 0x29 or 0xDD:
            case >= 0x38 and <= 0x44:
            case 0x27 or 0x70 or 0x71 or 0x72 or 0x73 or 0x74 or 0x75 or 0x79 or 0x7B or 0x7C or 0x7D or 0x7E or 0x7F or 0x80 or 0x81 or 0x8C or 0x8D or 0x8F or 0xA3 or 0xA4 or 0xA5 or 0xC2 or 0xC6 or 0xD0 or 0xD1:
            case 0xFE06 or 0xFE07 or 0xFE15 or 0xFE16 or 0xFE1C or 0xFE1D:
                reader.Offset += 4;
                break;
            case 0x21 or 0x23:
                reader.Offset += 8;
                break;
            case 0x45:
                var count = reader.ReadInt32();
                reader.Offset += 4 * count;
                break;
            case 0xFE09 or 0xFE0A or 0xFE0B or 0xFE0C or 0xFE0D or 0xFE0E:
                reader.Offset += 2;
                break;
            case 0xFE12:
                reader.Offset += 1;
                break;
        }
    }

    /// <summary>Names signature types in full (primitives by their C# keyword), the same way in every assembly.</summary>
    private sealed class FullNames : ISignatureTypeProvider<string, object?>
    {
        public static readonly FullNames Instance = new();

        public static string ReferenceName(MetadataReader reader, TypeReferenceHandle handle)
        {
            var type = reader.GetTypeReference(handle);
            return type.ResolutionScope.Kind == HandleKind.TypeReference
                ? ReferenceName(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + reader.GetString(type.Name)
                : Join(reader.GetString(type.Namespace), reader.GetString(type.Name));
        }

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Double => "double",
            PrimitiveTypeCode.Single => "float",
            PrimitiveTypeCode.Int32 => "int",
            PrimitiveTypeCode.Int64 => "long",
            _ => typeCode.ToString(),
        };

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeDefinition(handle);
            var declaring = type.GetDeclaringType();
            return declaring.IsNil
                ? Join(reader.GetString(type.Namespace), reader.GetString(type.Name))
                : GetTypeFromDefinition(reader, declaring, rawTypeKind) + "+" + reader.GetString(type.Name);
        }

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => ReferenceName(reader, handle);

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => "typespec";
    }
}
