import type { GetServerSideProps } from 'next';

type Props = { renderedAt: string };

// A Pages Router page rendered per request.
export const getServerSideProps: GetServerSideProps<Props> = async () => ({
  props: { renderedAt: new Date().toISOString() },
});

export default function Legacy({ renderedAt }: Props) {
  return <h1>Pages Router, rendered at {renderedAt}</h1>;
}
