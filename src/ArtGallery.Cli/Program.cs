using ArtGallery.Cli;
using ArtGallery.Cli.Verbs;
using ArtGallery.Evaluation.Verbs;

var root = new RootCommand("ArtGallery operator commands: import, export, embed, seed the demo, evaluate, benchmark.")
{
    MigrateVerb.Create(),
    SeedDemoVerb.Create(),
    DemoImagesVerb.Create(),
    ImportVerb.Create(),
    ImportVerb.CreateFolderAlias(),
    ExportVerb.Create(),
    EmbedVerb.Create(),
    EvaluationCommands.Bench(CliHost.Starter),
    StudioVerb.Create(),
    EvaluationCommands.Eval(CliHost.Starter),
    MusicVerb.Create(),
};
return await root.Parse(args).InvokeAsync();
