// The compose module's public face: template → post text, X's length rules, hashtags, filters.
export { checkTemplate, parseTemplate, renderTemplate, PLACEHOLDERS, type Placeholder, type TemplatePart } from './template';
export { composePost, type ComposeContext, type ComposedPost } from './compose';
export { hashtagFor, hashtagsFromCategories } from './hashtags';
export { compileFilters, filterItem, type CompiledFilter, type CompiledFilters } from './filters';
export { previewItems, newestFirst, DEFAULT_PREVIEW_LIMIT, type PreviewItemsOptions } from './preview';
export { weightedLength, MAX_POST_WEIGHT, URL_WEIGHT } from './weighted-length';
