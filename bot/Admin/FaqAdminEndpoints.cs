using System.Globalization;
using CommunityBot.Directory;
using CommunityBot.Faq;
using CommunityBot.Understanding;

namespace CommunityBot.Admin;

/// <summary>The knowledge base pages: list and search, edit an entry (the assistant uses it at once), and the misses.</summary>
public static partial class FaqAdminEndpoints
{
    // Two saves at once must not leave the index built from the older snapshot of the store.
    private static readonly Lock SaveLock = new();

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/faq", List);
        group.MapGet("/faq/edit", EditPage);
        group.MapPost("/faq/edit", Save);
        group.MapGet("/misses", Misses);
        group.MapGet("/faq/duplicates", Duplicates);
        group.MapGet("/faq/import", ImportPage);
        group.MapPost("/faq/import", ImportAsync).WithMetadata(AdminUpload.Limit);
        group.MapGet("/faq/export", Export);
    }

    private static IResult List(HttpContext http, FaqStore store, string? q, string? saved)
    {
        var query = q?.Trim() ?? "";
        var entries = store.All().Where(e => query.Length == 0 || Matches(e, query)).ToList();
        var rows = entries.Select(e => Html.Of($"""
            <tr>
              <td data-label="编号">{e.Id}</td>
              <td data-label="问题">{e.Question}<div class="muted">{e.Similar.Count} 种问法{(e.Variants.Count > 0 ? $"，{e.Variants.Count} 处专用答案" : "")}</div></td>
              <td data-label="分类">{e.Category}</td>
              <td data-label="状态">{(e.Enabled ? "启用" : "停用")}</td>
              <td><a href="/admin/faq/edit?id={Uri.EscapeDataString(e.Id)}">编辑</a></td>
            </tr>
            """));
        return AdminLayout.Page(http, "知识库", Html.Of($"""
            {AdminLayout.Message(saved is { Length: > 0 } ? $"已保存条目 {saved}，助手已开始使用新内容。" : null)}
            <form method="get" action="/admin/faq" class="card filters">
              <div><label for="q">搜索</label><input type="search" id="q" name="q" value="{query}" placeholder="问题、问法、答案或分类"></div>
              <div><button type="submit">搜索</button> <a class="button" href="/admin/faq/edit">新增条目</a>
              <a href="/admin/faq/duplicates">疑似重复</a> <a href="/admin/faq/import">导入</a> <a href="/admin/faq/export?format=xlsx">导出 XLSX</a> <a href="/admin/faq/export?format=csv">导出 CSV</a></div>
            </form>
            <p class="muted">共 {entries.Count} 条</p>
            <table class="responsive" id="faq-list">
              <thead><tr><th>编号</th><th>问题</th><th>分类</th><th>状态</th><th></th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            """));
    }

    private static IResult EditPage(HttpContext http, FaqStore store, GridDirectory directory, string? id, string? question, string? addPhrasing)
    {
        FaqEntry form;
        var isNew = true;
        if (!string.IsNullOrEmpty(id) && store.Find(id) is { } existing)
        {
            form = existing;
            isNew = false;
            // "加到已有条目" from the misses page: the resident's words become one more phrasing.
            if (!string.IsNullOrWhiteSpace(addPhrasing) && !form.Phrasings.Contains(addPhrasing.Trim(), StringComparer.Ordinal))
            {
                form.Similar.Add(addPhrasing.Trim());
            }
        }
        else if (!string.IsNullOrEmpty(id))
        {
            return AdminLayout.Page(http, "找不到条目", AdminLayout.Message($"知识库里没有编号为 {id} 的条目。", error: true), StatusCodes.Status404NotFound);
        }
        else
        {
            form = new FaqEntry { Question = question?.Trim() ?? "" };
        }

        return EditForm(http, directory.Current, form, isNew, null, StatusCodes.Status200OK);
    }

    private static IResult Save(
        HttpContext http, IFormCollection form, FaqStore store, FaqMatcher matcher, GridDirectory directory, TimeProvider time, ILoggerFactory loggers)
    {
        var snapshot = directory.Current;
        var (variants, variantProblem) = ReadVariants(form, snapshot);
        var isNew = form["isNew"] == "true";
        var entry = new FaqEntry
        {
            Id = form["id"].ToString().Trim(),
            Question = form["question"].ToString().Trim(),
            Similar = form["similar"].ToString().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
            Answer = form["answer"].ToString().Trim(),
            Category = form["category"].ToString().Trim(),
            Enabled = form["enabled"].Contains("true"),
            Updated = time.GetUtcNow(),
            Variants = variants,
        };
        if (isNew && entry.Id.Length == 0)
        {
            entry.Id = "faq-" + time.GetUtcNow().ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        }

        // Bad input re-shows the form with everything typed, so nothing is lost.
        var problem = entry switch
        {
            { Question.Length: 0 } => "请填写问题。",
            { Answer.Length: 0 } => "请填写答案。",
            { Id.Length: > 64 } => "编号不能超过 64 个字符。",
            _ when variantProblem is not null => variantProblem,
            _ when isNew && store.Find(entry.Id) is not null => $"编号 {entry.Id} 已被其他条目使用，请换一个。",
            _ when !isNew && store.Find(entry.Id) is null => $"知识库里没有编号为 {entry.Id} 的条目。",
            _ => null,
        };
        if (problem is not null)
        {
            return EditForm(http, snapshot, entry, isNew, problem, StatusCodes.Status400BadRequest);
        }

        lock (SaveLock)
        {
            store.Upsert(entry);
            // The running assistant answers from the new index as soon as this returns.
            matcher.Reload(store.Enabled());
        }

        LogSaved(loggers.CreateLogger(typeof(FaqAdminEndpoints).FullName!), entry.Id, AdminSession.From(http.User).Name);
        return Results.Redirect("/admin/faq?saved=" + Uri.EscapeDataString(entry.Id));
    }

    /// <summary>
    /// The per-place answers of the form: pairs of <c>variantScope</c> (<c>compound:ID</c> or <c>community:ID</c> from the
    /// directory) and <c>variantAnswer</c>; a pair left empty is no variant. The problem names the first bad pair.
    /// </summary>
    private static (List<FaqVariant> Variants, string? Problem) ReadVariants(IFormCollection form, DirectorySnapshot directory)
    {
        var scopes = form["variantScope"];
        var answers = form["variantAnswer"];
        var variants = new List<FaqVariant>();
        string? problem = null;
        for (var i = 0; i < Math.Max(scopes.Count, answers.Count); i++)
        {
            var scope = (i < scopes.Count ? scopes[i] : null)?.Trim() ?? "";
            var answer = (i < answers.Count ? answers[i] : null)?.Trim() ?? "";
            if (scope.Length == 0 && answer.Length == 0)
            {
                continue;
            }

            var place = ParseScope(scope, directory);
            // Kept unresolved when the scope is missing, so the re-shown form still has the answer typed.
            variants.Add(new FaqVariant { Kind = place?.Kind ?? FaqScopeKind.Compound, ScopeId = place?.Id ?? "", Answer = answer });

            problem ??= (place, answer) switch
            {
                (null, _) when scope.Length == 0 => $"第 {i + 1} 个专用答案没有选择小区或社区。",
                (null, _) => $"第 {i + 1} 个专用答案的适用范围“{scope}”不在网格目录中。",
                (_, { Length: 0 }) => $"请填写{FaqScopes.NameOf(directory, variants[^1])}的专用答案，或把适用范围改回“不使用”。",
                _ when variants.Count(v => v.Kind == place.Value.Kind && v.ScopeId == place.Value.Id) > 1 =>
                    $"{FaqScopes.NameOf(directory, variants[^1])}有两个专用答案，请合并为一个。",
                _ => null,
            };
        }

        return (variants, problem);
    }

    private static (FaqScopeKind Kind, string Id)? ParseScope(string value, DirectorySnapshot directory) => value.Split(':', 2) switch
    {
        ["compound", var id] when directory.Compounds.ContainsKey(id) => (FaqScopeKind.Compound, id),
        ["community", var id] when directory.Communities.ContainsKey(id) => (FaqScopeKind.Community, id),
        _ => null,
    };

    private static string ScopeValue(FaqVariant variant) =>
        !variant.IsResolved ? "" : (variant.Kind == FaqScopeKind.Compound ? "compound:" : "community:") + variant.ScopeId;

    // Each variant's row, then one empty row to add another (saving with it filled adds one more empty row).
    private static Html VariantRows(DirectorySnapshot directory, FaqEntry entry)
    {
        var options = directory.Data.Compounds.Select(c => (Value: "compound:" + c.Id, Label: "小区：" + c.Name))
            .Concat(directory.Data.Communities.Select(c => (Value: "community:" + c.Id, Label: "社区：" + c.Name)))
            .ToList();
        var rows = entry.Variants.Select(v => (Selected: ScopeValue(v), v.Answer)).Append((Selected: "", Answer: ""));
        return Html.Join(rows.Select((row, i) => Html.Of($"""
            <div class="variant">
              <label for="variant-scope-{i}">适用范围</label>
              <select id="variant-scope-{i}" name="variantScope"><option value="">不使用</option>{Html.Join(options.Select(o => Html.Of($"""<option value="{o.Value}"{Html.Raw(o.Value == row.Selected ? " selected" : "")}>{o.Label}</option>"""))) }</select>
              <label for="variant-answer-{i}">该处的答案</label>
              <textarea id="variant-answer-{i}" name="variantAnswer" rows="3">{row.Answer}</textarea>
            </div>
            """)));
    }

    private static IResult EditForm(HttpContext http, DirectorySnapshot directory, FaqEntry entry, bool isNew, string? error, int statusCode) =>
        AdminLayout.Page(http, isNew ? "新增条目" : "编辑条目", Html.Of($"""
            {AdminLayout.Message(error, error: true)}
            <form method="post" action="/admin/faq/edit" class="card" id="faq-edit">
              {AdminLayout.Csrf(http)}
              <input type="hidden" name="isNew" value="{(isNew ? "true" : "false")}">
              <label for="id">编号</label>
              {(isNew
                ? Html.Of($"""<input type="text" id="id" name="id" value="{entry.Id}" placeholder="留空则自动生成" maxlength="64">""")
                : Html.Of($"""<input type="text" id="id" name="id" value="{entry.Id}" readonly>"""))}
              <label for="question">问题</label>
              <input type="text" id="question" name="question" value="{entry.Question}" required>
              <label for="similar">其他问法（每行一个）</label>
              <textarea id="similar" name="similar" rows="6">{string.Join("\n", entry.Similar)}</textarea>
              <label for="answer">答案</label>
              <textarea id="answer" name="answer" rows="6" required>{entry.Answer}</textarea>
              <label for="category">分类</label>
              <input type="text" id="category" name="category" value="{entry.Category}">
              <fieldset id="faq-variants">
                <legend>小区或社区专用答案（可选）</legend>
                <p class="muted">在绑定了该小区（或社区）的群里，以及最近在这些群里说过话的居民私聊时，助手用专用答案；其他地方用上面的通用答案。群在“群管理”里绑定小区。</p>
                {VariantRows(directory, entry)}
              </fieldset>
              <label><input type="checkbox" name="enabled" value="true"{Html.Raw(entry.Enabled ? " checked" : "")}> 启用（助手用它回答居民）</label>
              <p><button type="submit">保存</button> <a href="/admin/faq">取消</a></p>
            </form>
            """), statusCode);

    private static IResult Misses(HttpContext http, MissStore misses, AdminFormat format)
    {
        var recent = misses.Recent(200);
        var rows = recent.Select(m => Html.Of($"""
            <tr>
              <td data-label="时间">{format.Time(m.At)}</td>
              <td data-label="居民的问题">{m.Text}</td>
              <td data-label="最接近">{(m.Chosen ? $"居民选了 {m.BestId}" : m.BestId is null ? "—" : $"{m.BestId}（{m.BestScore:0.00}）")}</td>
              <td>
                {(m.Chosen ? Html.Empty : Html.Of($"""<a class="button add-entry" href="/admin/faq/edit?question={Uri.EscapeDataString(m.Text)}">加为条目</a>"""))}
                {(m.BestId is null ? Html.Empty : Html.Of($"""<a class="{(m.Chosen ? "button add-phrasing" : "add-phrasing")}" href="/admin/faq/edit?id={Uri.EscapeDataString(m.BestId)}&addPhrasing={Uri.EscapeDataString(m.Text)}">加为 {m.BestId} 的问法</a>"""))}
              </td>
            </tr>
            """));
        return AdminLayout.Page(http, "未答问题", Html.Of($"""
            <p class="muted">助手没能直接回答的问题（最近 {recent.Count} 条，共 {misses.Count()} 条）：答不上来的，点“加为条目”会打开预填好的表单，保存即可；
            “居民选了”的是助手给出「您是想问」后居民自己点选的条目，点“加为…的问法”把居民的说法加进去，下次就能直接回答。</p>
            <table class="responsive" id="misses">
              <thead><tr><th>时间</th><th>居民的问题</th><th>最接近的条目</th><th></th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            """));
    }

    /// <summary>
    /// Entry pairs that say nearly the same: a resident asking either gets whichever ranks first, so staff merge them
    /// (the second's question becomes a phrasing of the first, through the usual edit form) and disable the second.
    /// </summary>
    private static IResult Duplicates(HttpContext http, FaqStore store, FaqMatcher matcher, string? min)
    {
        var threshold = FaqIndex.DuplicateSimilarity;
        string? problem = null;
        if (!string.IsNullOrWhiteSpace(min))
        {
            if (double.TryParse(min, NumberStyles.Float, CultureInfo.InvariantCulture, out var asked) && asked is >= 0.5 and <= 1)
            {
                threshold = asked;
            }
            else
            {
                problem = $"相似度下限应为 0.5 到 1 之间的数，已按 {threshold:0.##} 显示。";
            }
        }
        var entries = store.Enabled().ToDictionary(e => e.Id, StringComparer.Ordinal);
        // The index may be a moment older than the store (a save in progress): list only entries both know.
        var pairs = matcher.NearDuplicates(threshold).Where(d => entries.ContainsKey(d.EntryA) && entries.ContainsKey(d.EntryB)).ToList();
        var rows = pairs.Select(d =>
        {
            var (a, b) = (entries[d.EntryA], entries[d.EntryB]);
            return Html.Of($"""
                <tr>
                  <td data-label="相似度">{d.Similarity:0.00}</td>
                  <td data-label="条目 A">{a.Id} {a.Question}<div class="muted">相近的问法：{d.PhrasingA}</div></td>
                  <td data-label="条目 B">{b.Id} {b.Question}<div class="muted">相近的问法：{d.PhrasingB}</div></td>
                  <td>
                    <a class="merge" href="/admin/faq/edit?id={Uri.EscapeDataString(a.Id)}&addPhrasing={Uri.EscapeDataString(b.Question)}">把 B 的问题并入 A</a>
                    <a href="/admin/faq/edit?id={Uri.EscapeDataString(b.Id)}">编辑 B（可停用）</a>
                  </td>
                </tr>
                """);
        });
        return AdminLayout.Page(http, "疑似重复的条目", Html.Of($"""
            {AdminLayout.Message(problem, error: true)}
            <p class="muted">下面每一对条目有一种问法几乎相同。居民这样问时，助手只会给出其中排在前面的一条的答案，另一条等于没有。
            建议把一条的问题并入另一条作为相似问法（保存后助手立即使用），再停用多余的那条。</p>
            <form method="get" action="/admin/faq/duplicates" class="card filters">
              <div><label for="min">相似度下限</label><input type="number" id="min" name="min" min="0.5" max="1" step="0.05" value="{threshold.ToString("0.##", CultureInfo.InvariantCulture)}"></div>
              <div><button type="submit">查看</button> <a href="/admin/faq">返回知识库</a></div>
            </form>
            <p class="muted">共 {pairs.Count} 对（启用的条目 {entries.Count} 条）</p>
            <table class="responsive" id="faq-duplicates">
              <thead><tr><th>相似度</th><th>条目 A</th><th>条目 B</th><th></th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            """));
    }

    private static IResult ImportPage(HttpContext http) => ImportForm(http, null, StatusCodes.Status200OK);

    private static IResult ImportForm(HttpContext http, string? error, int statusCode) =>
        AdminLayout.Page(http, "导入知识库", Html.Of($"""
            {AdminLayout.Message(error, error: true)}
            <form method="post" action="/admin/faq/import" enctype="multipart/form-data" class="card" id="faq-import">
              {AdminLayout.Csrf(http)}
              <p class="muted">.xlsx 或 .csv 文件（不超过 {AdminUpload.MaxBytes / 1024 / 1024} MB），第一行为列名：id, question, similar（每行一个问法）, answer, category，可选 scope：
              填网格目录中的小区或社区（如 幸福里小区、丰和里社区）的一行，是同一编号条目在该处的专用答案，该处的居民得到它，其他地方仍用不填 scope 那一行的通用答案。
              文件有任何错误时，知识库不会有任何改动。</p>
              <label for="file">文件</label>
              <input type="file" id="file" name="file" accept=".xlsx,.csv" required>
              <label><input type="radio" name="mode" value="merge" checked> 合并：按编号新增或覆盖，文件里没有的条目保留</label>
              <label><input type="radio" name="mode" value="replace"> 替换：用文件替换整个知识库</label>
              <p><button type="submit">导入</button> <a href="/admin/faq">取消</a></p>
            </form>
            """), statusCode);

    // The same file format and the same replace-or-merge as the CLI's `faq import`, all or nothing.
    private static async Task<IResult> ImportAsync(
        HttpContext http, IFormCollection form, FaqStore store, FaqMatcher matcher, GridDirectory directory, ILoggerFactory loggers)
    {
        var (upload, error) = await AdminUpload.ReadAsync(form, [".xlsx", ".csv"], http.RequestAborted);
        if (upload is null)
        {
            return ImportForm(http, error, StatusCodes.Status400BadRequest);
        }

        using (upload)
        {
            List<FaqEntry> entries;
            try
            {
                entries = FaqFileFormat.Read(upload.Path);
                FaqScopes.Resolve(entries, directory.Current);
            }
            catch (FaqFormatException ex)
            {
                // The reader names the row and column; the temporary path means nothing to staff.
                return ImportForm(http, $"导入失败，知识库没有改动。{upload.FileName}：{ex.Message.Replace(upload.Path, upload.FileName, StringComparison.Ordinal)}", StatusCodes.Status400BadRequest);
            }

            if (entries.Count == 0)
            {
                return ImportForm(http, "文件里没有条目，知识库没有改动。", StatusCodes.Status400BadRequest);
            }

            var replace = form["mode"] == "replace";
            lock (SaveLock)
            {
                if (replace)
                {
                    store.ReplaceAll(entries);
                }
                else
                {
                    store.Upsert(entries);
                }

                matcher.Reload(store.Enabled());
            }

            LogImported(loggers.CreateLogger(typeof(FaqAdminEndpoints).FullName!), entries.Count, replace, AdminSession.From(http.User).Name);
            return AdminLayout.Page(http, "导入知识库", Html.Of($"""
                {AdminLayout.Message($"已{(replace ? "用文件替换知识库" : "合并导入")}：{entries.Count} 条，知识库现有 {store.Count()} 条，助手已开始使用新内容。")}
                <p><a href="/admin/faq">返回知识库</a></p>
                """));
        }
    }

    private static IResult Export(HttpContext http, FaqStore store, GridDirectory directory, TimeProvider time, string? format)
    {
        var extension = format == "csv" ? ".csv" : ".xlsx";
        var path = Path.Combine(Path.GetTempPath(), "communitybot-faq-" + Guid.NewGuid().ToString("N") + extension);
        try
        {
            var current = directory.Current;
            FaqFileFormat.Write(path, store.All(), v => FaqScopes.NameOf(current, v));
            var bytes = File.ReadAllBytes(path);
            var name = "faq-" + time.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture) + extension;
            return Results.File(bytes, extension == ".csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static bool Matches(FaqEntry entry, string query) =>
        entry.Id.Contains(query, StringComparison.OrdinalIgnoreCase)
        || entry.Phrasings.Any(p => p.Contains(query, StringComparison.OrdinalIgnoreCase))
        || entry.Answer.Contains(query, StringComparison.OrdinalIgnoreCase)
        || entry.Category.Contains(query, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: FAQ entry {Id} saved by {Name}; index rebuilt")]
    private static partial void LogSaved(ILogger logger, string id, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: {Count} FAQ entries imported (replace: {Replace}) by {Name}; index rebuilt")]
    private static partial void LogImported(ILogger logger, int count, bool replace, string name);
}
