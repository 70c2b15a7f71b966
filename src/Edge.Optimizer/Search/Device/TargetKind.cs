namespace Edge.Optimizer.Search.Device;

/// <summary>The kinds of <see cref="TargetSpec"/>.</summary>
internal enum TargetKind
{
    /// <summary>This machine, at the given threads.</summary>
    Local,

    /// <summary>One device of the fleet, through a bench job.</summary>
    Device,

    /// <summary>One online device per hardware class of a fleet group.</summary>
    Group,
}
