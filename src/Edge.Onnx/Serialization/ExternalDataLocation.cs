namespace Edge.Onnx.Serialization;

/// <summary>Where one tensor's bytes live: a file under the model's folder, a byte offset and a byte length.</summary>
/// <param name="RelativePath">The <c>location</c> as the model writes it, relative to the model's folder.</param>
/// <param name="FullPath">The checked full path, inside the model's folder.</param>
/// <param name="Offset">Byte offset of the tensor's data in the file, 0 or more.</param>
/// <param name="Length">Byte length of the tensor's data; offset plus length lies within the file.</param>
public readonly record struct ExternalDataLocation(string RelativePath, string FullPath, long Offset, long Length);
