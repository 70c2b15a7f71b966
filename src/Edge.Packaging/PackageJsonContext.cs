using System.Text.Json.Serialization;

namespace Edge.Packaging;

/// <summary>
/// Source-generated JSON metadata for the manifest and the signature document, so reading and writing packages
/// works with reflection-based serialization switched off (Native AOT and trimmed apps, such as edge-agent).
/// The serializer options in <see cref="PackageManifestSerializer"/> and <see cref="PackageSignatures"/> use it as
/// their resolver and keep their own settings.
/// </summary>
[JsonSerializable(typeof(PackageManifest))]
[JsonSerializable(typeof(PackagePassport))]
[JsonSerializable(typeof(PackageSignatureDocument))]
internal sealed partial class PackageJsonContext : JsonSerializerContext;
