using System.Runtime.InteropServices;
using Edge.Packaging;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Sdk.Packaging;

/// <summary>
/// The description of this process as a package target, which needs ONNX Runtime to list the execution providers
/// and therefore lives in the SDK rather than in Edge.Packaging.
/// </summary>
public static class PackageDeviceDescriptionExtensions
{
    extension(PackageDeviceDescription)
    {
        /// <summary>
        /// This process: <see cref="RuntimeInformation.ProcessArchitecture"/>, ONNX Runtime's available providers and
        /// <see cref="PackageDeviceDescription.CurrentSdkVersion"/>. Loads ONNX Runtime; a new instance on every read.
        /// </summary>
        public static PackageDeviceDescription Current => new(
            RuntimeInformation.ProcessArchitecture.ToString(),
            OrtEnv.Instance().GetAvailableProviders(),
            PackageDeviceDescription.CurrentSdkVersion);
    }
}
