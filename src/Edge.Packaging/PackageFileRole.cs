namespace Edge.Packaging;

/// <summary>What a file in a package is for. Serialized in camel case (<c>model</c>, <c>externalData</c>, <c>golden</c>).</summary>
public enum PackageFileRole
{
    /// <summary>The ONNX model; exactly one per package.</summary>
    Model,

    /// <summary>An external-data file the model refers to by a path relative to the model file.</summary>
    ExternalData,

    /// <summary>A golden-sample tensor (ONNX TensorProto).</summary>
    Golden,
}
