namespace Edge.Onnx.Serialization;

/// <summary>Where one tensor's bytes live: a file under the model's folder, a byte offset and a byte length.</summary>
internal readonly record struct ExternalDataLocation(string RelativePath, string FullPath, long Offset, long Length);
