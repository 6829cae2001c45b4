import type { Json } from './kustomize.js';

/**
 * The kubelet's rules for the files of Secret and ConfigMap volumes, as pkg/volume (secret, configmap,
 * projected; SetVolumeOwnership) applies them: every file is written by the kubelet as root; its mode is the
 * item's `mode`, else the volume's `defaultMode`, else 0644; with a pod `fsGroup` the file's group becomes
 * fsGroup and, these volumes being read-only, the group and owner read bits are added (mode | 0440). A
 * container's process runs as `runAsUser`/`runAsGroup` (the container's, else the pod's, else the image's
 * `USER`), with fsGroup and `supplementalGroups` as supplementary groups.
 */
export interface MountedFile {
  path: string;
  uid: number;
  gid: number;
  mode: number;
  /** The volume and the key the file comes from. */
  source: string;
}

/** Who a container's process is. */
export interface ProcessIdentity {
  uid: number;
  gid: number;
  groups: number[];
}

/** Whether `who` may read `file` under POSIX permission bits (root reads everything). */
export function canRead(file: Pick<MountedFile, 'uid' | 'gid' | 'mode'>, who: ProcessIdentity): boolean {
  if (who.uid === 0) return true;
  if (file.uid === who.uid) return (file.mode & 0o400) !== 0;
  if (file.gid === who.gid || who.groups.includes(file.gid)) return (file.mode & 0o040) !== 0;
  return (file.mode & 0o004) !== 0;
}

/** The identity of a container's process; `image` is the image's `USER uid:gid`. */
export function processIdentity(pod: Json, container: Json, image: { uid: number; gid: number }): ProcessIdentity {
  const podContext = (pod.securityContext ?? {}) as Json;
  const own = (container.securityContext ?? {}) as Json;
  const uid = (own.runAsUser ?? podContext.runAsUser ?? image.uid) as number;
  const gid = (own.runAsGroup ?? podContext.runAsGroup ?? image.gid) as number;
  const groups = [
    ...(podContext.fsGroup !== undefined ? [podContext.fsGroup as number] : []),
    ...((podContext.supplementalGroups ?? []) as number[]),
  ];
  return { uid, gid, groups };
}

/** The keys an object of the rendered output holds. */
function keysOf(object: Json | undefined): string[] {
  return [...Object.keys(object?.data ?? {}), ...Object.keys(object?.stringData ?? {})];
}

/**
 * Where `filePath` comes from in the container and with which owner and mode the kubelet writes it;
 * `undefined` when no volume mount provides it (the file would have to be in the image). Throws when a mount
 * provides the folder but its Secret or ConfigMap has no such key.
 */
export function mountedFile(filePath: string, pod: Json, container: Json, objects: Json[]): MountedFile | undefined {
  const mounts = ((container.volumeMounts ?? []) as Json[])
    .filter((m) => filePath === m.mountPath || filePath.startsWith(`${(m.mountPath as string).replace(/\/$/, '')}/`))
    .sort((a, b) => (b.mountPath as string).length - (a.mountPath as string).length);
  const mount = mounts[0];
  if (!mount) return undefined;
  const volume = ((pod.volumes ?? []) as Json[]).find((v) => v.name === mount.name);
  if (!volume) throw new Error(`volume ${mount.name as string} is mounted but not defined`);
  const source = (volume.secret ?? volume.configMap) as Json | undefined;
  if (!source) throw new Error(`${filePath}: volume ${mount.name as string} is neither a Secret nor a ConfigMap`);
  const kind = volume.secret ? 'Secret' : 'ConfigMap';
  const name = (volume.secret?.secretName ?? volume.configMap?.name) as string;
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!object) throw new Error(`${filePath}: ${kind} ${name} is not in the rendered output`);
  const relative = mount.subPath
    ? (mount.subPath as string)
    : filePath.slice((mount.mountPath as string).replace(/\/$/, '').length + 1);
  const items = source.items as Json[] | undefined;
  const item = items?.find((i) => i.path === relative);
  const key = items ? (item?.key as string | undefined) : relative;
  if (!key || !keysOf(object).includes(key))
    throw new Error(`${filePath}: ${kind} ${name} has no key for ${relative} (keys: ${keysOf(object).join(', ')})`);
  const fsGroup = pod.securityContext?.fsGroup as number | undefined;
  const declared = (item?.mode ?? source.defaultMode ?? 0o644) as number;
  return {
    path: filePath,
    uid: 0,
    gid: fsGroup ?? 0,
    mode: fsGroup !== undefined ? declared | 0o440 : declared,
    source: `${kind} ${name}/${key}`,
  };
}

/** The image's `USER uid:gid` from the Dockerfile's last stage. */
export function imageUser(dockerfile: string): { uid: number; gid: number } {
  const users = [...dockerfile.matchAll(/^USER\s+(\d+)(?::(\d+))?\s*$/gm)];
  const last = users[users.length - 1];
  if (!last) return { uid: 0, gid: 0 };
  return { uid: Number(last[1]), gid: Number(last[2] ?? last[1]) };
}
