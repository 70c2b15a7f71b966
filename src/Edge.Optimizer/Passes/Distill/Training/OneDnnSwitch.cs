using System.Runtime.InteropServices;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// libtorch's switch for its oneDNN (MKL-DNN) CPU kernels, which Python exposes as <c>torch.backends.mkldnn.enabled</c>
/// and TorchSharp 0.107 does not. It calls <c>at::globalContext().setUserEnabledMkldnn(bool)</c> through the symbols
/// libtorch_cpu exports (Itanium C++ ABI on Linux x64); where they cannot be found, <see cref="TrySet"/> says so and
/// changes nothing. With oneDNN off, convolutions run on ATen's own kernels (im2col and BLAS).
/// </summary>
internal static class OneDnnSwitch
{
    private const string Library = "libtorch_cpu.so";
    private const string GlobalContextSymbol = "_ZN2at13globalContextEv";
    private const string SetSymbol = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private const string GetSymbol = "_ZNK2at7Context17userEnabledMkldnnEv";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContext();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool GetEnabled(IntPtr context);

    /// <summary>Whether oneDNN kernels are enabled, or null when the switch cannot be reached.</summary>
    public static bool? Enabled =>
        Resolve() is { } api ? api.Get(api.Context()) : null;

    /// <summary>Turns oneDNN kernels on or off for the whole process; false when the switch cannot be reached.</summary>
    public static bool TrySet(bool enabled)
    {
        if (Resolve() is not { } api)
        {
            return false;
        }

        api.Set(api.Context(), enabled);
        return api.Get(api.Context()) == enabled;
    }

    private static readonly Lazy<(GlobalContext Context, SetEnabled Set, GetEnabled Get)?> Api = new(Find, LazyThreadSafetyMode.ExecutionAndPublication);

    private static (GlobalContext Context, SetEnabled Set, GetEnabled Get)? Resolve() => Api.Value;

    private static (GlobalContext Context, SetEnabled Set, GetEnabled Get)? Find()
    {
        // Once TorchSharp has loaded libtorch, the loader hands back the same library by its name.
        if (TorchSharpRuntime.LoadFailure is not null
            || !NativeLibrary.TryLoad(Library, out var handle)
            || !NativeLibrary.TryGetExport(handle, GlobalContextSymbol, out var context)
            || !NativeLibrary.TryGetExport(handle, SetSymbol, out var set)
            || !NativeLibrary.TryGetExport(handle, GetSymbol, out var get))
        {
            return null;
        }

        return (Marshal.GetDelegateForFunctionPointer<GlobalContext>(context),
            Marshal.GetDelegateForFunctionPointer<SetEnabled>(set),
            Marshal.GetDelegateForFunctionPointer<GetEnabled>(get));
    }
}
