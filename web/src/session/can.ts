import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me, Permission } from '../api/types';

/** The signed-in identity, for the screens: a control is shown only when its permission is held. */
export const MeContext = createContext<Me>({ sub: '', permissions: [] });

export function useCan(): (permission: Permission) => boolean {
  const me = useContext(MeContext);
  return (permission) => me.permissions.includes(permission);
}
