import { CONTAINER_TYPES, isKnownType } from '../model.js';
import { faults } from '../soap/faults.js';
import { moref } from '../soap/vim-value.js';
import { child, childrenNamed, childText, parseBoolean, readMoRef } from '../soap/xml-reader.js';
import type { MethodTable } from './method.js';

/**
 * ViewManager.CreateContainerView and View.DestroyView (reference §2.6). Views are session-scoped
 * (`session[<key>]<guid>`) and die with the session; their `view` property is live.
 */
export const viewMethods: MethodTable = {
  CreateContainerView: {
    on: ['ViewManager'],
    run: ({ state, session, request }) => {
      const container = readMoRef(child(request, 'container'));
      if (!container) throw faults.invalidArgument('container');
      const type = state.typeOf(container.value);
      if (type === undefined) throw faults.managedObjectNotFound(container.type, container.value);
      if (!CONTAINER_TYPES.has(type)) throw faults.invalidArgument('container');
      const types = childrenNamed(request, 'type').map((t) => t.text.trim());
      if (types.some((t) => !isKnownType(t))) throw faults.invalidArgument('type');
      const id = session ? state.sessions.scopedId(session) : `session[]view-${state.views.size + 1}`;
      state.views.set(id, {
        type: 'ContainerView',
        moref: id,
        container: container.value,
        types,
        recursive: parseBoolean(childText(request, 'recursive')) ?? false,
      });
      return moref('ContainerView', id);
    },
  },
  DestroyView: {
    on: ['ContainerView'],
    run: ({ state, self }) => {
      state.views.delete(self.value);
      return undefined;
    },
  },
};
