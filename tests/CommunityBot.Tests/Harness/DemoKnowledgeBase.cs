using CommunityBot.Faq;

namespace CommunityBot.Tests.Harness;

/// <summary>A small knowledge base written for tests, so they do not depend on the shipped demo content.</summary>
public static class DemoKnowledgeBase
{
    public const string PropertyPhoneAnswer = "幸福里物业服务中心电话：0371-66001234（24小时）。";

    public static IReadOnlyList<FaqEntry> Entries { get; } =
    [
        Entry("t-property-phone", "物业服务中心的电话是多少", PropertyPhoneAnswer, "物业管理",
            "物业电话多少", "物管的联系方式", "找物业打哪个号码"),
        Entry("t-property-fee", "物业费怎么交", "物业费可在物业服务中心前台或“幸福里”小程序缴纳，每年1月集中收取。", "物业管理",
            "物业费在哪交", "交物业费的地方", "物业费能手机上交吗"),
        Entry("t-water-bill", "水费怎么交", "水费可在“郑州水务”公众号或银行网点缴纳，户号见水表卡。", "水电气暖",
            "交水费去哪", "水费在哪里缴", "手机上怎么交水费"),
        Entry("t-water-outage", "停水通知在哪里看", "停水通知会贴在各单元门口，并在业主群发布，也可拨打0371-66005678查询。", "水电气暖",
            "什么时候停水", "今天停水吗", "停水了去哪看通知"),
        Entry("t-heating", "暖气不热找谁", "暖气不热请拨打热力公司客服0371-66009999报修，并告知小区楼栋单元。", "水电气暖",
            "暖气不热怎么办", "家里暖气不够热", "供暖温度低找谁"),
        Entry("t-refuse", "垃圾分类怎么分", "分为厨余垃圾、可回收物、有害垃圾和其他垃圾四类，投放时间为早7-9点、晚6-8点。", "垃圾分类",
            "垃圾怎么分类", "垃圾要分几类", "四分类是哪四类"),
        Entry("t-canteen", "长者食堂几点开饭", "丰和里长者食堂午餐11:00-12:30，晚餐17:00-18:00，60岁以上凭老年卡享受优惠。", "养老服务",
            "老年食堂啥时候吃饭", "长者食堂开饭时间", "老人食堂几点营业"),
        Entry("t-id-card", "身份证丢了怎么补办", "携带户口本到户籍所在地派出所或便民服务中心办理，工本费20元，约15个工作日。", "证件办理",
            "身份证丢了咋办", "补办身份证去哪", "身份证掉了怎么弄"),
        Entry("t-residence-permit", "居住证怎么办理", "在本地居住满半年，带身份证、租房合同或房产证到社区登记，再到派出所领取。", "证件办理",
            "外地人办居住证", "居住证去哪办", "怎么申请居住证"),
        Entry("t-parking", "小区停车位怎么申请", "到物业服务中心填写车位申请表，带行驶证和房产证明，按登记顺序分配。", "停车",
            "车位怎么申请", "想在小区租个车位", "停车位去哪登记"),
    ];

    private static FaqEntry Entry(string id, string question, string answer, string category, params string[] similar) =>
        new() { Id = id, Question = question, Answer = answer, Category = category, Similar = [.. similar], Enabled = true };
}
