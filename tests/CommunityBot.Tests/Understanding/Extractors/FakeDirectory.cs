using CommunityBot.Dialogs.Directory;

namespace CommunityBot.Tests.Understanding.Extractors;

/// <summary>Four compounds, the way a small street office's directory might list them.</summary>
internal sealed class FakeDirectory : IDirectory
{
    public static FakeDirectory Instance { get; } = new();

    private readonly CompoundInfo[] _compounds =
    [
        new("xfl", "幸福里小区", "幸福社区", ["1号楼", "2号楼", "3号楼", "5号楼"], ["幸福里"]),
        new("lahy", "柳岸花园", "柳岸社区", ["1栋", "2栋", "5栋"], ["柳岸"]),
        new("chjy", "春晖家园", "春晖社区", ["A座", "B座"], []),
        new("hpl", "和平里小区", "和平社区", ["12号楼"], []),
    ];

    public IReadOnlyList<CompoundInfo> Compounds() => _compounds;
}
