using Microsoft.Extensions.Logging;
using CommunityBot.Understanding.Nlu;

namespace CommunityBot.Tests.Understanding.Nlu;

public sealed class NluModelStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"cb-nlu-store-{Guid.NewGuid():N}");

    public NluModelStoreTests()
    {
        System.IO.Directory.CreateDirectory(Shipped);
        File.WriteAllText(Path.Combine(Shipped, NluModelStore.IntentsFile),
            "text,label\n谢谢,chitchat\n好的 收到,chitchat\n辛苦了,chitchat\n物业电话多少,faq\n几点可以扔垃圾,faq\n居住证怎么办,faq\n" +
            "我的工单到哪了,status\n报修有进展吗,status\n投诉处理了没,status\n谁家有梯子,other\n出二手婴儿车,other\n一起拼车吗,other\n");
        WriteCategories("text,label\n楼上天天跺脚,邻里纠纷\n邻居家狗天天叫,邻里纠纷\n对门堆杂物占楼道,邻里纠纷\n" +
            "家里停水了,水电气暖\n暖气不热,水电气暖\n燃气打不着火,水电气暖\n");
    }

    private string Shipped => Path.Combine(_dir, "shipped");
    private string Data => Path.Combine(_dir, "data");

    private void WriteCategories(string csv) => File.WriteAllText(Path.Combine(Shipped, NluModelStore.CategoriesFile), csv);

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    private NluModelStore Store(ListLogger? logger = null, NluOptions? options = null) =>
        new(Data, Shipped, options ?? new NluOptions { Categories = ["邻里纠纷", "水电气暖", "消防安全"] }, logger ?? new ListLogger());

    [Fact]
    public void LoadOrTrain_SecondStart_LoadsTheCachedModelsWithoutTraining()
    {
        var first = new ListLogger();
        var (intent, category) = Store(first).LoadOrTrain();
        var written = File.GetLastWriteTimeUtc(Path.Combine(Data, "category.zip"));

        var second = new ListLogger();
        var (loadedIntent, loadedCategory) = Store(second).LoadOrTrain();

        Assert.True(File.Exists(Path.Combine(Data, "intent.zip")));
        Assert.Equal(2, first.Entries.Count(e => e.Message.StartsWith("Trained the", StringComparison.Ordinal)));
        Assert.DoesNotContain(second.Entries, e => e.Message.StartsWith("Trained the", StringComparison.Ordinal));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(Data, "category.zip")));
        Assert.Equal(category.Labels, loadedCategory.Labels);
        Assert.Equal(intent.Predict("家里停水了")[0].Label, loadedIntent.Predict("家里停水了")[0].Label);
        Assert.Equal(category.Predict("暖气不热")[0], loadedCategory.Predict("暖气不热")[0]);
    }

    [Fact]
    public void LoadOrTrain_ShippedDataChanged_RetrainsTheCategoryModel()
    {
        Store().LoadOrTrain();
        WriteCategories("text,label\n楼上天天跺脚,邻里纠纷\n邻居家狗天天叫,邻里纠纷\n家里停水了,水电气暖\n暖气不热,水电气暖\n" +
            "楼道里堆满纸箱,消防安全\n电动车在楼道充电,消防安全\n");

        var logger = new ListLogger();
        var (_, category) = Store(logger).LoadOrTrain();

        Assert.Contains("消防安全", category.Labels);
        Assert.Contains(logger.Entries, e => e.Message.StartsWith("Trained the category model", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadOrTrain_CategoryWithoutRows_WarnsItCannotBePredicted()
    {
        var logger = new ListLogger();

        var (_, category) = Store(logger).LoadOrTrain();

        Assert.DoesNotContain("消防安全", category.Labels);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("消防安全", StringComparison.Ordinal)
            && e.Message.Contains("cannot be predicted", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadOrTrain_UnreadableCache_TrainsAgain()
    {
        Store().LoadOrTrain();
        File.WriteAllText(Path.Combine(Data, "category.zip"), "not a zip");

        var logger = new ListLogger();
        var (_, category) = Store(logger).LoadOrTrain();

        Assert.Equal(["水电气暖", "邻里纠纷"], category.Labels.Order(StringComparer.Ordinal));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("cannot be read", StringComparison.Ordinal));
    }
}
