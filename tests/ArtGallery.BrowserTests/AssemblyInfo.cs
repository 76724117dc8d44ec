// Each browser test class starts its own web app (which trains the style recogniser as it starts) and
// its own Chromium: side by side on the project's 2-core machines they starved pages past their timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
