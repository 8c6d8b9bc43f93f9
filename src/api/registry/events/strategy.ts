import type { Event } from 'kubernetes-types/core/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { eventTable } from './table.js';
import { validateEvent, validateEventUpdate } from './validation.js';

export const eventStrategy = defineStrategy<Event>({
  info: resourceInfo({ resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] }),
  allowCreateOnUpdate: true,
  nameValidation: 'path-segment',
  table: eventTable,
  validate: (e) => validateEvent(e),
  validateUpdate: (e, old) => validateEventUpdate(e, old),
});
