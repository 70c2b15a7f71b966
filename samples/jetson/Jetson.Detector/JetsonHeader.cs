namespace Edge.Samples.Jetson;

/// <summary>
/// Maps a pin of the 40-pin expansion header of the Jetson Orin Nano and Orin NX developer kits to its line offset on
/// the main GPIO controller (libgpiod chip labelled <c>tegra234-gpio</c>). Taken from NVIDIA's jetson-gpio pin
/// tables for these modules; other Jetson modules use other lines, so pass <c>--gpio-line</c> there.
/// </summary>
internal static class JetsonHeader
{
    private static readonly Dictionary<int, (int Line, string Name)> OrinNanoAndNx = new()
    {
        [7] = (144, "PAC.06"),
        [11] = (112, "PR.04"),
        [12] = (50, "PH.07"),
        [13] = (122, "PY.00"),
        [15] = (85, "PN.01"),
        [16] = (126, "PY.04"),
        [18] = (125, "PY.03"),
        [19] = (135, "PZ.05"),
        [21] = (134, "PZ.04"),
        [22] = (123, "PY.01"),
        [23] = (133, "PZ.03"),
        [24] = (136, "PZ.06"),
        [26] = (137, "PZ.07"),
        [29] = (105, "PQ.05"),
        [31] = (106, "PQ.06"),
        [32] = (41, "PG.06"),
        [33] = (43, "PH.00"),
        [35] = (53, "PI.02"),
        [36] = (113, "PR.05"),
        [37] = (124, "PY.02"),
        [38] = (52, "PI.01"),
        [40] = (51, "PI.00"),
    };

    /// <summary>The header pins that are GPIOs, ascending.</summary>
    public static IEnumerable<int> GpioPins => OrinNanoAndNx.Keys.Order();

    /// <summary>The line offset and SoC pin name of header pin <paramref name="headerPin"/>, or false when it is not a GPIO (power, ground, I2C...).</summary>
    public static bool TryGetLine(int headerPin, out int line, out string socName)
    {
        if (OrinNanoAndNx.TryGetValue(headerPin, out var entry))
        {
            (line, socName) = entry;
            return true;
        }

        (line, socName) = (-1, string.Empty);
        return false;
    }
}
