/**
 * Label key and value validation for selector parsing: apimachinery's IsQualifiedName and
 * IsValidLabelValue, whose messages (word for word, as users read them in parse errors) live
 * with the other name rules in validation/strings.ts.
 */
export {
  isQualifiedName as labelKeyErrors,
  isValidLabelValue as labelValueErrors,
} from '../validation/strings.js';
