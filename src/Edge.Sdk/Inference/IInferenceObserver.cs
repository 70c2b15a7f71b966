namespace Edge.Sdk.Inference;

/// <summary>
/// Sees the calls a <see cref="ModelHost"/> runs through <see cref="ModelHost.Run{TInput, TOutput}"/>, after each one
/// succeeded, with the input the app passed and the output it got. The OTA agent uses it to shadow a candidate model
/// on live calls. It runs on the caller's thread before <c>Run</c> returns, so it must only copy what it keeps and
/// hand it off (never wait); an exception it throws is swallowed and never reaches the app's call.
/// The frame the app attached to the call, if any, is <see cref="RawFrames.Current"/> during the call.
/// </summary>
public interface IInferenceObserver
{
    /// <summary>Called after a successful run of <paramref name="session"/>; the spans are valid only during the call.</summary>
    /// <typeparam name="TInput">The input element type.</typeparam>
    /// <typeparam name="TOutput">The output element type.</typeparam>
    /// <param name="session">The session that ran the call (the one served at the time).</param>
    /// <param name="input">The app's input.</param>
    /// <param name="output">The output the app received.</param>
    void OnRun<TInput, TOutput>(EdgeSession session, ReadOnlySpan<TInput> input, ReadOnlySpan<TOutput> output)
        where TInput : unmanaged
        where TOutput : unmanaged;
}
